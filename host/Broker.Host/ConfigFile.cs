using System.Collections.Generic;
using System.IO;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Reads mosquitto.conf, so an existing file (Debian's default with its conf.d/ included) starts this broker.
    /// Every option Mosquitto 2.0 has is either carried out (<see cref="ConfigOptions"/>), accepted with a note logged
    /// once at start-up (it only changes Mosquitto's logging or a platform detail), or refused with file:line, the reason
    /// and what to do instead (<see cref="ConfigRefusals"/>); the broker then does not start rather than run with a
    /// setting silently ignored. Every bad line is reported, not just the first.
    /// </summary>
    public static class ConfigFile
    {
        /// <summary>One option line, with where it came from (include_dir files keep their own name and numbers).</summary>
        public sealed class ConfigLine
        {
            public string File;
            public int Line;
            public string Option;
            public string Value;
            public string BaseDir;

            public string At { get { return File + ":" + Line; } }
        }

        // A config including itself (or a loop of include_dirs) must end.
        private const int MaxIncludeDepth = 8;

        /// <summary>Applies the file to <paramref name="settings"/>; throws FileErrorsException listing every bad line.</summary>
        public static void Load(string path, BrokerSettings settings)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FileErrorsException(new[] { new FileError(path, 0, "cannot read config file: " + e.Message) });
            }

            string baseDir = Path.GetDirectoryName(Path.GetFullPath(path));
            settings.ConfigPath = path;
            List<FileError> errors = Apply(path, lines, baseDir, settings);
            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }
        }

        /// <summary>
        /// Applies each good line and returns the bad ones. Relative file names are taken from
        /// <paramref name="baseDir"/> (the folder of the file the line is in), so the broker can be started from anywhere.
        /// </summary>
        public static List<FileError> Apply(string file, string[] lines, string baseDir, BrokerSettings settings)
        {
            List<FileError> errors = new List<FileError>();
            List<ConfigLine> all = new List<ConfigLine>();
            Collect(file, lines, baseDir, all, errors, 0);

            // per_listener_settings decides where every security option goes, wherever it stands in the file.
            ConfigState state = new ConfigState(settings);
            foreach (ConfigLine l in all)
            {
                if (l.Option == "per_listener_settings")
                {
                    Report(errors, l, state.Once(l) ?? ConfigValues.Bool(l.Option, l.Value, b => settings.PerListenerSettings = b));
                }
            }

            foreach (ConfigLine l in all)
            {
                if (l.Option != "per_listener_settings")
                {
                    string reason = ConfigOptions.Apply(state, l);
                    Report(errors, l, reason);
                    if (reason == null)
                    {
                        settings.OptionLines[l.Option] = l.At;
                    }
                }
            }

            errors.AddRange(state.Finish());
            return errors;
        }

        private static void Report(List<FileError> errors, ConfigLine l, string reason)
        {
            if (reason != null)
            {
                errors.Add(new FileError(l.File, l.Line, reason));
            }
        }

        /// <summary>Splits the lines into options and values, reading include_dir folders where they are named.</summary>
        private static void Collect(string file, string[] lines, string baseDir, List<ConfigLine> all, List<FileError> errors, int depth)
        {
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int space = line.IndexOfAny(new[] { ' ', '\t' });
                ConfigLine l = new ConfigLine
                {
                    File = file,
                    Line = i + 1,
                    Option = space < 0 ? line : line.Substring(0, space),
                    Value = space < 0 ? "" : line.Substring(space + 1).Trim(),
                    BaseDir = baseDir,
                };
                if (l.Option != "include_dir")
                {
                    all.Add(l);
                    continue;
                }

                string reason = Include(l, all, errors, depth);
                if (reason != null)
                {
                    errors.Add(new FileError(file, i + 1, reason));
                }
            }
        }

        /// <summary>Mosquitto's include_dir: every *.conf file of the folder, in name order, read at this point.</summary>
        private static string Include(ConfigLine l, List<ConfigLine> all, List<FileError> errors, int depth)
        {
            if (l.Value.Length == 0)
            {
                return "include_dir needs a folder";
            }

            if (depth >= MaxIncludeDepth)
            {
                return "include_dir nested more than " + MaxIncludeDepth + " deep (does a folder include itself?)";
            }

            string dir = Path.GetFullPath(Path.Combine(l.BaseDir, l.Value));
            string[] files;
            try
            {
                files = Directory.GetFiles(dir, "*.conf");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return "include_dir: cannot read folder '" + dir + "': " + e.Message;
            }

            Array.Sort(files, StringComparer.Ordinal);
            foreach (string f in files)
            {
                string[] lines;
                try
                {
                    lines = File.ReadAllLines(f);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    errors.Add(new FileError(f, 0, "cannot read included config file: " + e.Message));
                    continue;
                }

                Collect(f, lines, dir, all, errors, depth + 1);
            }

            return null;
        }

        /// <summary>Null when <paramref name="word"/> is an address the transport can bind (then passed to set), else why not.</summary>
        public static string Address(string word, Action<string> set)
        {
            return ConfigValues.Address(word, set);
        }
    }
}
