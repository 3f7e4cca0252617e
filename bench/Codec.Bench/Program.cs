using BenchmarkDotNet.Running;

namespace Codec.Bench
{
    public static class Program
    {
        // dotnet run -c Release --project bench/Codec.Bench -- --filter '*' [--job short]
        public static void Main(string[] args)
        {
            CodecBenchmarks.CheckSameBytes();
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        }
    }
}
