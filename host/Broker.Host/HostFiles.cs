using System.Collections.Generic;

namespace Broker.Host
{
    /// <summary>
    /// The password and ACL files of one security domain (every listener, or one listener with per_listener_settings),
    /// read and checked before anything listens, and read again on a reload.
    /// </summary>
    public sealed class HostFiles
    {
        public string PasswordPath;
        public string AclPath;
        public PasswordFile Passwords;
        public List<AclRule> Acl;

        /// <summary>Lines skipped in the password file (warnings, not errors: Mosquitto skips them too).</summary>
        public readonly List<FileError> Warnings = new List<FileError>();

        /// <summary>Reads the files of the settings' first security domain (the whole broker without per_listener_settings).</summary>
        public static HostFiles Load(Settings settings)
        {
            return Load(settings.SecurityOf(settings.EffectiveListeners[0]));
        }

        /// <summary>Reads both files and reports the bad lines of both at once (FileErrorsException).</summary>
        public static HostFiles Load(SecuritySettings security)
        {
            HostFiles files = new HostFiles { PasswordPath = security.PasswordFile, AclPath = security.AclFile };
            List<FileError> errors = new List<FileError>();
            if (files.PasswordPath != null)
            {
                try
                {
                    files.Passwords = PasswordFile.Load(files.PasswordPath);
                    files.Warnings.AddRange(files.Passwords.Skipped);
                }
                catch (FileErrorsException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
            if (files.AclPath != null)
            {
                try
                {
                    files.Acl = AclFile.Load(files.AclPath);
                }
                catch (FileErrorsException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }
            return files;
        }

        /// <summary>Every domain's files: one per listener with per_listener_settings, else one for all.</summary>
        public static List<HostFiles> LoadAll(Settings settings)
        {
            List<HostFiles> all = new List<HostFiles>();
            List<FileError> errors = new List<FileError>();
            foreach (SecuritySettings security in Domains(settings))
            {
                try
                {
                    all.Add(Load(security));
                }
                catch (FileErrorsException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }
            return all;
        }

        public static List<SecuritySettings> Domains(Settings settings)
        {
            List<SecuritySettings> domains = new List<SecuritySettings>();
            if (!settings.PerListenerSettings)
            {
                domains.Add(settings.Security);
                return domains;
            }
            foreach (ListenerSettings l in settings.EffectiveListeners)
            {
                domains.Add(l.Security);
            }
            return domains;
        }
    }
}
