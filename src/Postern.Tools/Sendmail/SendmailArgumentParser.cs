using Postern.Core.Queueing;

namespace Postern.Tools.Sendmail;

/// <summary>
/// sendmail's old-style option syntax, which System.CommandLine cannot express: single-letter
/// flags whose value may be attached (<c>-fsender</c>) or the next argument (<c>-f sender</c>),
/// two-letter <c>-o</c>/<c>-b</c>/<c>-q</c>/<c>-d</c> forms, and option parsing that stops at the
/// first non-option (getopt). Harmless options are accepted and ignored; anything unknown is a
/// usage error rather than silently misread.
/// </summary>
public static class SendmailArgumentParser
{
    /// <summary>Parses <paramref name="args"/> for the personality <paramref name="personality"/> (sendmail, mailq, newaliases).</summary>
    public static SendmailParseResult Parse(string personality, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SendmailOptions
        {
            Mode = personality switch
            {
                "mailq" => SendmailMode.ListQueue,
                "newaliases" => SendmailMode.NewAliases,
                _ => SendmailMode.Submit,
            },
        };
        var ignored = new List<string>();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (longResult, consumed) = ParseLong(options, args, i);
                if (longResult.Error is not null)
                {
                    return longResult;
                }
                options = longResult.Options!;
                i += consumed;
                continue;
            }
            var letter = arg[1];
            var attached = arg[2..];
            string? error;
            switch (letter)
            {
                case 'f' or 'r' or 'F' or 'B' or 'N' or 'R' or 'V' or 'C' or 'h' or 'L' or 'p' or 'O' or 'A':
                    string value;
                    if (attached.Length > 0)
                    {
                        value = attached;
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        return SendmailParseResult.Fail($"option requires an argument -- '{letter}'");
                    }
                    (options, error) = WithValue(options, letter, value, ignored);
                    break;
                case 't':
                    (options, error) = (options with { ExtractRecipients = true }, Flags(arg));
                    break;
                case 'i':
                    (options, error) = (options with { IgnoreDots = true }, Flags(arg));
                    break;
                case 'v':
                    (options, error) = (options with { Verbose = true }, Flags(arg));
                    break;
                case 'n' or 'm' or 'G' or 'U':
                    ignored.Add(arg);
                    error = Flags(arg);
                    break;
                case 'I':
                    (options, error) = (options with { Mode = SendmailMode.NewAliases }, Flags(arg));
                    break;
                case 'o':
                    (options, error) = WithO(options, attached, arg, ignored);
                    break;
                case 'b':
                    (options, error) = WithMode(options, attached);
                    break;
                case 'q':
                    (options, error) = WithQueueRun(options, attached, args, ref i, ignored);
                    break;
                case 'd':
                    (options, error) = WithDebug(options, attached, arg, ignored);
                    break;
                default:
                    error = $"unknown option {arg}";
                    break;
            }
            if (error is not null)
            {
                return SendmailParseResult.Fail(error);
            }
        }
        return SendmailParseResult.Ok(options with { Arguments = args.Skip(i).ToList(), Ignored = ignored });
    }

    // -t, -i and friends take no value: "-ti" is not two flags in sendmail either, so refuse it.
    private static string? Flags(string arg) => arg.Length == 2 ? null : $"unknown option {arg}";

    private static (SendmailParseResult Result, int Consumed) ParseLong(SendmailOptions options, IReadOnlyList<string> args, int index)
    {
        var arg = args[index];
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg : arg[..equals];
        if (name is not ("--config" or "--data-dir"))
        {
            return (SendmailParseResult.Fail($"unknown option {arg}"), 0);
        }
        string value;
        var consumed = 0;
        if (equals >= 0)
        {
            value = arg[(equals + 1)..];
        }
        else if (index + 1 < args.Count)
        {
            value = args[index + 1];
            consumed = 1;
        }
        else
        {
            return (SendmailParseResult.Fail($"option requires an argument -- '{name}'"), 0);
        }
        options = name == "--config" ? options with { ConfigPath = value } : options with { DataDirectory = value };
        return (SendmailParseResult.Ok(options), consumed);
    }

    private static (SendmailOptions, string?) WithValue(SendmailOptions options, char letter, string value, List<string> ignored)
    {
        switch (letter)
        {
            case 'f' or 'r':
                return (options with { Sender = value }, null);
            case 'F':
                return (options with { FullName = value }, null);
            case 'C':
                return (options with { ConfigPath = value }, null);
            case 'B':
                return value.ToUpperInvariant() switch
                {
                    "7BIT" => (options with { Body = BodyType.SevenBit }, null),
                    "8BITMIME" => (options with { Body = BodyType.EightBitMime }, null),
                    "BINARYMIME" => (options with { Body = BodyType.BinaryMime }, null),
                    _ => (options, $"-B {value}: the body type must be 7BIT, 8BITMIME or BINARYMIME"),
                };
            case 'N':
                return ParseNotify(value) is { } notify
                    ? (options with { Notify = notify }, null)
                    : (options, $"-N {value}: must be never, or a comma list of success, failure and delay");
            case 'R':
                return value.ToLowerInvariant() switch
                {
                    "full" => (options with { Return = DsnReturn.Full }, null),
                    "hdrs" => (options with { Return = DsnReturn.Headers }, null),
                    _ => (options, $"-R {value}: must be full or hdrs"),
                };
            case 'V':
                return value.Length is > 0 and <= 100 && value.All(c => c is > ' ' and <= '~' and not '+' and not '=')
                    ? (options with { EnvelopeId = value }, null)
                    : (options, $"-V {value}: an envelope id is 1 to 100 printable characters without '+' and '='");
            case 'O':
                return WithLongOption(options, value, ignored);
            case 'h':
                return int.TryParse(value, out _) ? Ignore(options, ignored, "-h " + value) : (options, $"-h {value}: the hop count must be a number");
            default:
                // -L tag, -p protocol, -A c|m: no effect in Postern.
                return Ignore(options, ignored, "-" + letter + " " + value);
        }
    }

    private static (SendmailOptions, string?) Ignore(SendmailOptions options, List<string> ignored, string what)
    {
        ignored.Add(what);
        return (options, null);
    }

    private static DsnNotify? ParseNotify(string value)
    {
        if (value.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            return DsnNotify.Never;
        }
        var notify = DsnNotify.None;
        foreach (var word in value.Split(','))
        {
            notify |= word.Trim().ToLowerInvariant() switch
            {
                "success" => DsnNotify.Success,
                "failure" => DsnNotify.Failure,
                "delay" => DsnNotify.Delay,
                _ => (DsnNotify)(-1),
            };
            if ((int)notify < 0)
            {
                return null;
            }
        }
        return notify;
    }

    // -O Name=value: sendmail's long option names; only the few that mean something to a submitter.
    private static (SendmailOptions, string?) WithLongOption(SendmailOptions options, string value, List<string> ignored)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var name = (equals < 0 ? value : value[..equals]).Trim();
        var setting = equals < 0 ? "" : value[(equals + 1)..].Trim();
        return name.ToLowerInvariant() switch
        {
            "ignoredots" => (options with { IgnoreDots = setting.Length == 0 || setting[0] is 't' or 'T' or 'y' or 'Y' }, null),
            "deliverymode" => setting.Length > 0 && setting[0] is 'q' or 'd'
                ? (options with { QueueOnly = true }, null)
                : Ignore(options, ignored, "-O " + value),
            "errormode" or "loglevel" or "metoo" or "sendmimeerrors" or "checkpointinterval" => Ignore(options, ignored, "-O " + value),
            _ => (options, $"-O {value}: unknown or unsupported option"),
        };
    }

    private static (SendmailOptions, string?) WithO(SendmailOptions options, string rest, string arg, List<string> ignored)
    {
        if (rest.Length == 0)
        {
            return (options, "option requires an argument -- 'o'");
        }
        var value = rest[1..];
        switch (rest[0])
        {
            case 'i':
                return value.Length == 0 || value is "t" or "T" or "true" ? (options with { IgnoreDots = true }, null) : (options, $"unknown option {arg}");
            case 'd':
                return value switch
                {
                    "q" or "d" => (options with { QueueOnly = true }, null),
                    "b" or "i" or "" or "background" or "interactive" => Ignore(options, ignored, arg),
                    _ => (options, $"{arg}: the delivery mode must be b, i, q or d"),
                };
            case 'e' when value is "" or "m" or "e" or "p" or "q" or "w":
            case 'm' when value.Length == 0:
            case 'L':
            case 'A':
            case 'T':
            case 'r':
            case 'M':
                return Ignore(options, ignored, arg);
            default:
                return (options, $"unknown option {arg}");
        }
    }

    private static (SendmailOptions, string?) WithMode(SendmailOptions options, string mode)
    {
        SendmailMode? chosen = mode switch
        {
            "m" => SendmailMode.Submit,
            "s" => SendmailMode.SmtpSession,
            "p" => SendmailMode.ListQueue,
            "v" => SendmailMode.Verify,
            "t" => SendmailMode.AddressTest,
            "d" or "D" => SendmailMode.Daemon,
            "i" => SendmailMode.NewAliases,
            _ => null,
        };
        return chosen is { } value
            ? (options with { Mode = value }, null)
            : (options, $"-b{mode}: unknown or unsupported mode (Postern has -bm, -bs, -bp, -bv, -bt, -bd, -bD and -bi)");
    }

    private static (SendmailOptions, string?) WithQueueRun(SendmailOptions options, string rest, IReadOnlyList<string> args, ref int index, List<string> ignored)
    {
        // "-bd -q15m": the interval only matters to sendmail's own daemon; Postern's runner schedules itself.
        var isDaemon = options.Mode == SendmailMode.Daemon;
        var next = isDaemon ? options : options with { Mode = SendmailMode.ProcessQueue };
        if (rest.Length == 0 || rest == "f")
        {
            return (next, null);
        }
        if (char.IsAsciiDigit(rest[0]))
        {
            return rest.All(c => char.IsAsciiDigit(c) || c is 's' or 'm' or 'h' or 'd' or 'w')
                ? Ignore(next, ignored, "-q" + rest)
                : (options, $"-q{rest}: not a queue interval");
        }
        if (rest[0] == 'R')
        {
            var domain = rest.Length > 1 ? rest[1..] : index + 1 < args.Count ? args[++index] : null;
            return domain is null ? (options, "option requires an argument -- 'qR'") : (next with { QueueDomain = domain }, null);
        }
        return (options, $"-q{rest}: unsupported queue selection (Postern has -q and -qR domain)");
    }

    private static (SendmailOptions, string?) WithDebug(SendmailOptions options, string flags, string arg, List<string> ignored)
    {
        if (flags.Length == 0)
        {
            return Ignore(options, ignored, arg);
        }
        // -d0.1 .. -d0.N and "-d0" list the version and compiled-in features; other categories are sendmail internals.
        var showsVersion = flags.Split(',').Any(f => f == "0" || f.StartsWith("0.", StringComparison.Ordinal));
        return flags.All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '-')
            ? showsVersion ? (options with { ShowVersion = true }, null) : Ignore(options, ignored, arg)
            : (options, $"{arg}: debug flags are category.level, e.g. -d0.1");
    }
}
