using BenchmarkDotNet.Running;

namespace Device.Bench
{
    public static class Program
    {
        // dotnet run -c Release --project bench/Device.Bench -- --filter '*' [--job short]
        public static void Main(string[] args)
        {
            CodecBenchmarks.CheckSameBytes();
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        }
    }
}
