namespace nanoFramework.UnitTestLauncher
{
    // Stand-in: on the device the real launcher finds and runs the tests; here only its presence is needed.
    public static class Program
    {
        public static void Main() { }
    }
}
