using System.Collections.Generic;

namespace Broker.Host
{
    /// <summary>The password and ACL files the settings name, read and checked before anything listens.</summary>
    public sealed class HostFiles
    {
        public PasswordFile Passwords;
        public List<AclRule> Acl;

        /// <summary>Reads both files and reports the bad lines of both at once.</summary>
        public static HostFiles Load(BrokerSettings settings)
        {
            HostFiles files = new HostFiles();
            List<FileError> errors = new List<FileError>();
            if (settings.PasswordFile != null)
            {
                try
                {
                    files.Passwords = PasswordFile.Load(settings.PasswordFile);
                }
                catch (FileErrorsException e)
                {
                    errors.AddRange(e.Errors);
                }
            }

            if (settings.AclFile != null)
            {
                try
                {
                    files.Acl = AclFile.Load(settings.AclFile);
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
    }
}
