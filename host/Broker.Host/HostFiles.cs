using System.Collections;
using System.Collections.Generic;
using System.IO;
using System;
using Device.Broker;

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

        /// <summary>The ACL file's text; the engine's own parser (Device.Broker.AclFile) reads it, as on the board.</summary>
        public string AclText;

        /// <summary>Lines skipped in the password file (warnings, not errors: Mosquitto skips them too).</summary>
        public readonly List<FileError> Warnings = new List<FileError>();

        /// <summary>Reads the files of the settings' first security domain (the whole broker without per_listener_settings).</summary>
        public static HostFiles Load(BrokerSettings settings)
        {
            return Load(settings.SecurityOf(settings.EffectiveListeners[0]), BrokerHost.OptionsFor(settings));
        }

        /// <summary>Reads both files and reports the bad lines of both at once (FileErrorsException).</summary>
        public static HostFiles Load(SecuritySettings security, BrokerOptions o)
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
                    files.AclText = File.ReadAllText(files.AclPath);
                    // A trial load into an ACL of the configured size, only to report its lines with the others.
                    errors.AddRange(LoadAcl(new Acl(o.MaxAclRules, o.AclBytes, o.MaxTopicLength), files.AclPath, files.AclText));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    errors.Add(new FileError(files.AclPath, 0, "cannot read ACL file: " + e.Message));
                }
            }

            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }

            return files;
        }

        /// <summary>Every domain's files: one per listener with per_listener_settings, else one for all.</summary>
        public static List<HostFiles> LoadAll(BrokerSettings settings)
        {
            BrokerOptions o = BrokerHost.OptionsFor(settings);
            List<HostFiles> all = new List<HostFiles>();
            List<FileError> errors = new List<FileError>();
            foreach (SecuritySettings security in Domains(settings))
            {
                try
                {
                    all.Add(Load(security, o));
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

        public static List<SecuritySettings> Domains(BrokerSettings settings)
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
