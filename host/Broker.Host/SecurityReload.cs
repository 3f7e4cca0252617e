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
        private readonly MosquittoLog _log;
        private readonly List<SecuritySettings> _domains;
        private readonly PasswordFile[] _passwords;
        private Prepared _pending;
        private int _applied;

        private sealed class Prepared
        {
            public PasswordFile[] Passwords;
            public string[] AclTexts;
        }

        public SecurityReload(BrokerEngine engine, MosquittoLog log, List<SecuritySettings> domains)
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

                if (files[l].AclText != null)
                {
                    List<FileError> errors = HostFiles.LoadAcl(_engine.AclOf(l), files[l].AclPath, files[l].AclText);
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
            // The engine only asks about a user name with a non-empty password (it refuses the others itself).
            _engine.UsersOf(l).UseExternalCheck((name, nameOffset, nameLength, password, passwordOffset, passwordLength) =>
            {
                string user = Encoding.UTF8.GetString(name, nameOffset, nameLength);
                return _passwords[l].Verify(user, new ReadOnlySpan<byte>(password, passwordOffset, passwordLength)) ? AuthResult.Accepted : AuthResult.WrongPassword;
            },
            (name, nameOffset, nameLength) => _passwords[l].Exists(Encoding.UTF8.GetString(name, nameOffset, nameLength)));
        }

        /// <summary>
        /// Any thread (the SIGHUP handler): reads every file again and posts what is good for the engine thread.
        /// What is broken is logged and keeps its old version.
        /// </summary>
        public void Request()
        {
            _log.Notice("Reloading password and ACL files (SIGHUP).");
            Prepared p = new Prepared { Passwords = new PasswordFile[_domains.Count], AclTexts = new string[_domains.Count] };
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
                    p.AclTexts[l] = ReadAcl(d.AclFile);
                }
            }

            Interlocked.Exchange(ref _pending, p);
        }

        /// <summary>The ACL file's text when it loads whole into an ACL of the engine's size, else null (the old rules stay).</summary>
        private string ReadAcl(string path)
        {
            string text;
            try
            {
                text = System.IO.File.ReadAllText(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                _log.Error(path + ": cannot read ACL file: " + e.Message + "; keeping the ACL file loaded before");
                return null;
            }

            // Try it on an ACL of the same size first, so the engine's is never left half filled.
            BrokerOptions o = _engine.Options;
            List<FileError> errors = HostFiles.LoadAcl(new Acl(o.MaxAclRules, o.AclBytes, o.MaxTopicLength), path, text);
            foreach (FileError fe in errors)
            {
                _log.Error(fe + "; keeping the ACL file loaded before");
            }

            return errors.Count == 0 ? text : null;
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

                if (p.AclTexts[l] != null)
                {
                    Acl acl = _engine.AclOf(l);
                    acl.Clear();
                    HostFiles.LoadAcl(acl, _domains[l].AclFile, p.AclTexts[l]);
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
