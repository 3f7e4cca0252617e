using System.Collections.Generic;
using System.IO;
using System.Text;
using System;

namespace Broker.Host
{
    /// <summary>
    /// "passwd": mosquitto_passwd for our broker. It stores only PBKDF2-SHA512 hashes in Mosquitto's format, so the
    /// same file works with Debian's mosquitto, and keeps the file's other lines as they were.
    /// </summary>
    public static class PasswdCommand
    {
        /// <summary>Reads a secret after showing the prompt, without echo when a person is typing.</summary>
        public delegate string SecretReader(string prompt);

        public static int Run(string[] args, TextWriter output, TextWriter error, SecretReader readSecret)
        {
            bool batch = false, create = false, delete = false;
            List<string> rest = new List<string>();
            foreach (string arg in args)
            {
                if (arg == "-b") batch = true;
                else if (arg == "-c") create = true;
                else if (arg == "-D") delete = true;
                else if (arg.StartsWith('-') && rest.Count == 0) return Fail(error, "unknown passwd option '" + arg + "'");
                else rest.Add(arg);
            }

            int wanted = delete ? 2 : batch ? 3 : 2;
            if (create && delete)
            {
                return Fail(error, "-c and -D cannot be used together");
            }

            if (rest.Count != wanted)
            {
                return Fail(error, delete ? "passwd -D needs FILE USER"
                    : batch ? "passwd -b needs FILE USER PASSWORD" : "passwd needs FILE USER (or -b FILE USER PASSWORD)");
            }

            string path = rest[0], user = rest[1];
            string bad = PasswordFile.CheckUserName(user);
            if (bad != null)
            {
                return Fail(error, bad);
            }

            PasswordFile file;
            try
            {
                file = create || !File.Exists(path) ? PasswordFile.Parse(path, new string[0], out _) : PasswordFile.Load(path);
            }
            catch (FileErrorsException e)
            {
                foreach (FileError fe in e.Errors) error.WriteLine("Error: " + fe);
                return 1;
            }

            if (delete)
            {
                if (!file.Remove(user))
                {
                    return Fail(error, "user '" + user + "' is not in " + path);
                }
            }
            else
            {
                string password = batch ? rest[2] : AskTwice(readSecret, error);
                if (password == null)
                {
                    return 1;
                }

                file.Set(user, PasswordHash.Create(Encoding.UTF8.GetBytes(password)));
            }

            try
            {
                file.Save(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Fail(error, "cannot write " + path + ": " + e.Message);
            }

            output.WriteLine((delete ? "Removed user '" : "Stored a hashed password for user '") + user + "' in " + path);
            return 0;
        }

        private static string AskTwice(SecretReader readSecret, TextWriter error)
        {
            string first = readSecret("Password: ");
            string second = readSecret("Reenter password: ");
            if (first == null || second == null)
            {
                error.WriteLine("Error: no password given");
                return null;
            }

            if (first != second)
            {
                error.WriteLine("Error: Passwords do not match.");
                return null;
            }

            return first;
        }

        /// <summary>The console reader: no echo at a terminal, a plain line when input is piped in.</summary>
        public static string ReadFromConsole(string prompt)
        {
            Console.Error.Write(prompt);
            if (Console.IsInputRedirected)
            {
                return Console.In.ReadLine();
            }

            StringBuilder sb = new StringBuilder();
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    Console.Error.WriteLine();
                    return sb.ToString();
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (sb.Length > 0) sb.Length--;
                }
                else if (key.KeyChar != '\0')
                {
                    sb.Append(key.KeyChar);
                }
            }
        }

        private static int Fail(TextWriter error, string message)
        {
            error.WriteLine("Error: " + message);
            return 1;
        }
    }
}
