using System.Collections;
using System.Collections.Generic;
using System.IO;
using System;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>The password and ACL files the settings name, read and checked before anything listens.</summary>
    public sealed class HostFiles
    {
        public PasswordFile Passwords;

        /// <summary>The ACL file's path and text; the engine's own parser (Device.Broker.AclFile) reads it, as on the board.</summary>
        public string AclPath;
        public string AclText;

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
                files.AclPath = settings.AclFile;
                try
                {
                    files.AclText = File.ReadAllText(settings.AclFile);
                    BrokerOptions o = BrokerHost.OptionsFor(settings);
                    // A trial load into an ACL of the configured size, only to report its lines with the others.
                    errors.AddRange(LoadAcl(new Acl(o.MaxAclRules, o.AclBytes, o.MaxTopicLength), files.AclPath, files.AclText));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    errors.Add(new FileError(settings.AclFile, 0, "cannot read ACL file: " + e.Message));
                }
            }

            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }

            return files;
        }

        /// <summary>Loads the ACL text with the engine's parser and returns its bad lines as file:line errors.</summary>
        public static List<FileError> LoadAcl(Acl acl, string path, string text)
        {
            ArrayList lines = new ArrayList();
            AclFile.Load(acl, text, lines);
            List<FileError> errors = new List<FileError>();
            foreach (LineError e in lines)
            {
                errors.Add(new FileError(path, e.Line, e.Reason));
            }

            return errors;
        }
    }
}
