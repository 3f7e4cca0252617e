using System.Collections.Generic;
using System.Text;
using System.Threading;
using System;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// Loads the password and ACL files into the engine at start-up, and again on SIGHUP as Mosquitto does, while
    /// clients stay connected. The files are read and checked on the signalling thread; the result is posted and
    /// applied by the engine thread between two transport calls (<see cref="ApplyPending"/>, called from the loop's
    /// tick), so the engine needs no locks. A file that cannot be read, or an ACL file with a bad line or too many
    /// rules, keeps the old one in force and the log says why. After applying, the engine disconnects clients whose
    /// access is gone and drops queued messages for topics their session may no longer read.
    /// </summary>
    public sealed class SecurityReload
    {
        private readonly BrokerEngine _engine;
        private readonly Log _log;
        private readonly List<SecuritySettings> _domains;
        private readonly PasswordFile[] _passwords;
        private Prepared _pending;
        private int _applied;

        private sealed class Prepared
        {
            public PasswordFile[] Passwords;
            public List<AclRule>[] Rules;
        }

        public SecurityReload(BrokerEngine engine, Log log, List<SecuritySettings> domains)
        {
            _engine = engine;
            _log = log;
            _domains = domains;
            _passwords = new PasswordFile[domains.Count];
        }

        /// <summary>Reloads applied so far (for tests and the log).</summary>
        public int Applied
        {
            get { return Volatile.Read(ref _applied); }
        }

        /// <summary>Start-up: the files as read before listening. False (and the lines logged) when the ACL does not fit.</summary>
        public bool Install(List<HostFiles> files, List<bool> allowAnonymous)
        {
            bool ok = true;
            for (int l = 0; l < files.Count; l++)
            {
                _engine.SetAllowAnonymous(l, allowAnonymous[l]);
                if (files[l].Passwords != null)
                {
                    _passwords[l] = files[l].Passwords;
                    UseExternalCheck(l);
                }
                foreach (FileError w in files[l].Warnings)
                {
                    _log.Warning(w + " (line skipped)");
                }
                if (files[l].Acl != null)
                {
                    List<FileError> errors = Fill(_engine.AclOf(l), files[l].Acl, files[l].AclPath);
                    foreach (FileError e in errors)
                    {
                        _log.Error(e.ToString());
                    }
                    ok &= errors.Count == 0;
                }
            }
            return ok;
        }

        private void UseExternalCheck(int l)
        {
            _engine.UsersOf(l).UseExternalCheck((name, nameOffset, nameLength, hasPassword, password, passwordOffset, passwordLength) =>
            {
                string user = Encoding.UTF8.GetString(name, nameOffset, nameLength);
                if (!hasPassword)
                {
                    return Users.WrongPassword;
                }
                return _passwords[l].Verify(user, new ReadOnlySpan<byte>(password, passwordOffset, passwordLength)) ? Users.Accepted : Users.WrongPassword;
            },
            (name, nameOffset, nameLength) => _passwords[l].Exists(Encoding.UTF8.GetString(name, nameOffset, nameLength)));
        }

        /// <summary>Adds the rules; the ones that do not fit the preallocated room come back as errors.</summary>
        private List<FileError> Fill(Acl acl, List<AclRule> rules, string path)
        {
            List<FileError> errors = new List<FileError>();
            foreach (AclRule rule in rules)
            {
                byte access = rule.Access switch
                {
                    AclAccess.Read => Acl.Read,
                    AclAccess.Write => Acl.Write,
                    AclAccess.Deny => Acl.Deny,
                    _ => Acl.ReadWrite,
                };
                bool added = rule.IsPattern ? acl.AddPattern(access, rule.Topic) : acl.AddTopic(rule.User, access, rule.Topic);
                if (!added)
                {
                    errors.Add(new FileError(path, rule.Line, "the rule does not fit the ACL's preallocated room ("
                        + _engine.Options.MaxAclRules + " rules, " + _engine.Options.AclBytes + " bytes) or its topic is too long"));
                }
            }
            return errors;
        }

        /// <summary>
        /// Any thread (the SIGHUP handler): reads every file again and posts what is good for the engine thread.
        /// What is broken is logged and keeps its old version.
        /// </summary>
        public void Request()
        {
            _log.Notice("Reloading password and ACL files (SIGHUP).");
            Prepared p = new Prepared { Passwords = new PasswordFile[_domains.Count], Rules = new List<AclRule>[_domains.Count] };
            for (int l = 0; l < _domains.Count; l++)
            {
                SecuritySettings d = _domains[l];
                if (d.PasswordFile != null)
                {
                    try
                    {
                        p.Passwords[l] = PasswordFile.Load(d.PasswordFile);
                        foreach (FileError w in p.Passwords[l].Skipped)
                        {
                            _log.Warning(w + " (line skipped)");
                        }
                    }
                    catch (FileErrorsException e)
                    {
                        foreach (FileError fe in e.Errors)
                        {
                            _log.Error(fe + "; keeping the password file loaded before");
                        }
                    }
                }
                if (d.AclFile != null)
                {
                    p.Rules[l] = ReadAcl(d.AclFile);
                }
            }
            Interlocked.Exchange(ref _pending, p);
        }

        private List<AclRule> ReadAcl(string path)
        {
            List<AclRule> rules;
            try
            {
                rules = AclFile.Load(path);
            }
            catch (FileErrorsException e)
            {
                foreach (FileError fe in e.Errors)
                {
                    _log.Error(fe + "; keeping the ACL file loaded before");
                }
                return null;
            }

            // Try them on an ACL of the same size first, so the engine's is never left half filled.
            BrokerOptions o = _engine.Options;
            List<FileError> errors = Fill(new Acl(o.MaxAclRules, o.AclBytes, o.MaxTopicLength), rules, path);
            foreach (FileError fe in errors)
            {
                _log.Error(fe + "; keeping the ACL file loaded before");
            }
            return errors.Count == 0 ? rules : null;
        }

        /// <summary>The engine thread, between transport calls: applies a posted reload. True when one was applied.</summary>
        public bool ApplyPending()
        {
            Prepared p = Interlocked.Exchange(ref _pending, null);
            if (p == null)
            {
                return false;
            }

            for (int l = 0; l < _domains.Count; l++)
            {
                if (p.Passwords[l] != null)
                {
                    bool first = _passwords[l] == null;
                    _passwords[l] = p.Passwords[l];
                    if (first)
                    {
                        UseExternalCheck(l);
                    }
                }
                if (p.Rules[l] != null)
                {
                    Acl acl = _engine.AclOf(l);
                    acl.Clear();
                    Fill(acl, p.Rules[l], _domains[l].AclFile);
                }
            }

            int closed = _engine.ApplySecurity();
            Interlocked.Increment(ref _applied);
            _log.Notice("Reload applied: " + closed + " client" + (closed == 1 ? "" : "s") + " disconnected, "
                + _engine.Counters.RevokedQueued + " queued message" + (_engine.Counters.RevokedQueued == 1 ? "" : "s") + " revoked so far.");
            return true;
        }
    }
}
