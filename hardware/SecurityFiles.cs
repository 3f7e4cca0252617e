using System;
using System.Collections;
using Device.Broker;

namespace Device.Hardware
{
    /// <summary>
    /// The board's password and ACL files (named in settings.json), read with the engine's own parsers
    /// (Device.Broker.UsersFile, AclFile: the same formats and line numbers as the PC's broker program). Every bad
    /// line is logged as path:line: reason and lets nobody in: a file that is named but cannot be read still turns
    /// its table on, empty, so a missing password file refuses every login and a missing ACL denies everything
    /// (secure by default; a board cannot stop at start-up the way the PC program does, it must stay reachable).
    /// </summary>
    internal static class SecurityFiles
    {
        // 4 hashed users (~230 bytes a line) or 12 ACL rules (~150 bytes a line) with comments: what the Device
        // profile's tables hold (BrokerOptions.Device: MaxUsers, UserBytes, MaxAclRules, AclBytes).
        public const int MaxFileBytes = 4096;

        /// <summary>Applies the settings' security to the options (before the engine exists).</summary>
        public static void Configure(Settings settings, BrokerOptions options)
        {
            options.AllowAnonymous = settings.AllowAnonymous;
        }

        /// <summary>Reads and loads both files into the engine's tables; returns the number of bad lines (0: all taken).</summary>
        public static int Load(Settings settings, BrokerOptions options, BrokerEngine engine)
        {
            int bad = 0;
            if (settings.PasswordFile != null)
            {
                bad += LoadUsers(engine, settings.PasswordFile, Read(settings.PasswordFile), options.MaxPasswordIterations);
            }

            if (settings.AclFile != null)
            {
                bad += LoadAcl(engine, settings.AclFile, Read(settings.AclFile));
            }

            Log.Line("broker: " + (settings.AllowAnonymous ? "anonymous clients allowed" : "anonymous clients refused") + ", "
                + engine.Users.Count.ToString() + " users, " + engine.Acl.Count.ToString() + " ACL rules"
                + (settings.AclFile != null ? " (deny unless allowed)" : ""));
            return bad;
        }

        /// <summary>Loads password-file text (null: the file could not be read) and logs its bad lines; returns their count.</summary>
        public static int LoadUsers(BrokerEngine engine, string path, string text, int maxIterations)
        {
            if (text == null)
            {
                engine.Users.Enable();
                Log.Line("broker: " + path + ": cannot read it; no user can log in");
                return 1;
            }

            ArrayList errors = new ArrayList();
            UsersFile.Load(engine.Users, text, maxIterations, errors);
            return Report(path, errors);
        }

        /// <summary>Loads ACL text (null: the file could not be read) and logs its bad lines; returns their count.</summary>
        public static int LoadAcl(BrokerEngine engine, string path, string text)
        {
            if (text == null)
            {
                engine.Acl.Enable();
                Log.Line("broker: " + path + ": cannot read it; every publish and subscribe is denied");
                return 1;
            }

            ArrayList errors = new ArrayList();
            AclFile.Load(engine.Acl, text, errors);
            return Report(path, errors);
        }

        private static int Report(string path, ArrayList errors)
        {
            for (int i = 0; i < errors.Count; i++)
            {
                LineError e = (LineError)errors[i];
                Log.Line("broker: " + path + ":" + e.Line.ToString() + ": " + e.Reason);
            }

            return errors.Count;
        }

        private static string Read(string path)
        {
            try
            {
                string text = Settings.ReadText(path, MaxFileBytes);
                if (text == null)
                {
                    Log.Line("broker: " + path + " is larger than " + MaxFileBytes.ToString() + " bytes");
                }

                return text;
            }
            catch (Exception ex)
            {
                Log.Error("broker: cannot read " + path, ex);
                return null;
            }
        }
    }
}
