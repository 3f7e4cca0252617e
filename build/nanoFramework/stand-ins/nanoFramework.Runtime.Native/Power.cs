namespace nanoFramework.Runtime.Native
{
    /// <summary>
    /// Stand-in of nanoFramework.Runtime.Native.Power (real: nanoFramework.Runtime.Native/Power.cs, the version with
    /// RebootOption): a reboot raises OnRebootEvent first, then reboots the way the option says.
    /// </summary>
    public class Power
    {
        public static event RebootEventHandler OnRebootEvent;

        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot)
        {
            RebootDevice(-1, rebootOption);
        }

        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot)
        {
            RebootEventHandler handlers = OnRebootEvent;
            throw new System.NotSupportedException("compile-only stand-in");
        }
    }
}
