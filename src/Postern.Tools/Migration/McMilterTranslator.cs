using System.Globalization;
using Postern.Config;
using Postern.Config.Milters;
using Postern.Core.Milters;

namespace Postern.Tools.Migration;

/// <summary>
/// sendmail's mail filters: each <c>MAIL_FILTER</c>/<c>INPUT_MAIL_FILTER</c> becomes a
/// <c>[[milter]]</c> (S= the socket, F= the default action, T= the timeouts), the
/// <c>confINPUT_MAIL_FILTERS</c> list becomes <c>[server] milters</c>, and the
/// <c>confMILTER_MACROS_*</c> lists become every milter's <c>macros</c>. Values sendmail leaves
/// to its defaults are written as sendmail's defaults, so the filters see what they saw.
/// </summary>
internal sealed class McMilterTranslator(McSettings settings, Func<string, McOption?> use)
{
    // sendmail's T= defaults (cf/README, "Mail filters"): where the .mc says nothing, the milters keep them.
    private static readonly TimeSpan SendmailConnect = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SendmailSendReceive = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SendmailEndOfMessage = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    private readonly List<MilterDefinition> _milters = [];
    private readonly List<string> _inputFilters = [];

    /// <summary>Reads the filters and the lists; call before writing.</summary>
    public void Translate()
    {
        var macros = Macros();
        foreach (var (name, equates) in settings.MailFilters)
        {
            if (_milters.Any(m => m.Name == name))
            {
                settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{name}') defined twice: the first definition is kept");
            }
            else if (Filter(name, equates) is { } milter)
            {
                _milters.Add(milter with { Macros = macros });
            }
        }
        if (use("confINPUT_MAIL_FILTERS") is { } list)
        {
            foreach (var name in list.Value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (_milters.All(m => m.Name != name))
                {
                    settings.NotTranslated(list.File, list.Line, $"confINPUT_MAIL_FILTERS names `{name}', which no MAIL_FILTER defines (left out)");
                }
                else if (!_inputFilters.Contains(name))
                {
                    _inputFilters.Add(name);
                }
            }
        }
        foreach (var (name, equates) in settings.MailFilters.Where(f => _milters.Any(m => m.Name == f.Name) && !_inputFilters.Contains(f.Name)).DistinctBy(f => f.Name))
        {
            settings.Note(equates.File, equates.Line, $"MAIL_FILTER(`{name}') is not in confINPUT_MAIL_FILTERS: written as a [[milter]] that no list runs");
        }
    }

    /// <summary>The names of a daemon's <c>InputMailFilters=</c> that a MAIL_FILTER defines; the others are reported.</summary>
    public List<string> Defined(IReadOnlyList<string> names, McOption daemon)
    {
        var defined = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (_milters.Any(m => m.Name == name))
            {
                defined.Add(name);
            }
            else
            {
                settings.NotTranslated(daemon.File, daemon.Line, $"DAEMON_OPTIONS InputMailFilters names `{name}', which no MAIL_FILTER defines (left out)");
            }
        }
        return defined;
    }

    /// <summary><c>[server] milters</c>, when the .mc runs any filter.</summary>
    public void WriteServerKeys(TomlBuilder toml)
    {
        if (_inputFilters.Count > 0)
        {
            toml.Key("milters", TomlText.Array(_inputFilters));
        }
    }

    public void WriteMilters(TomlBuilder toml)
    {
        foreach (var milter in _milters)
        {
            MilterWriter.WriteOne(toml, milter);
        }
    }

    private MilterDefinition? Filter(string name, McOption equates)
    {
        if (!NameIsValid(name))
        {
            settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{name}'): Postern's milter names are 1 to 64 of A-Z a-z 0-9 _ . -");
            return null;
        }
        string? socket = null;
        string? flags = null;
        string? timeouts = null;
        foreach (var equate in equates.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = equate.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? equate : equate[..equals].Trim();
            var value = equals < 0 ? "" : equate[(equals + 1)..].Trim();
            switch (key)
            {
                case "S":
                    socket = value;
                    break;
                case "F":
                    flags = value;
                    break;
                case "T":
                    timeouts = value;
                    break;
                default:
                    settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{name}'): equate `{equate}' has no Postern equivalent");
                    break;
            }
        }
        if (socket is null)
        {
            settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{name}') has no S= socket (left out)");
            return null;
        }
        if (!MilterSocketAddress.TryParse(socket, out var address, out var error))
        {
            settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{name}'): S=`{socket}': {error} (left out)");
            return null;
        }
        var milter = new MilterDefinition(name, address!) { DefaultAction = Action(name, flags, equates) };
        return Timeouts(milter, timeouts, equates);
    }

    /// <summary>
    /// F=R rejects and F=T (or F=4) tempfails when the filter fails; without either sendmail goes
    /// on as if the filter were not there, which is Postern's "accept".
    /// </summary>
    private MilterFailureAction Action(string name, string? flags, McOption equates)
    {
        if (flags is null || (!flags.Contains('R', StringComparison.Ordinal) && !flags.Contains('T', StringComparison.Ordinal) && !flags.Contains('4', StringComparison.Ordinal)))
        {
            settings.Note(equates.File, equates.Line, $"MAIL_FILTER(`{name}') without F=R or F=T: sendmail goes on without an unreachable filter, so default_action = \"accept\" (Postern's own default is \"tempfail\")");
            return MilterFailureAction.Accept;
        }
        if (flags.Contains('4', StringComparison.Ordinal))
        {
            settings.Note(equates.File, equates.Line, $"MAIL_FILTER(`{name}') F=4: sendmail answers 421 and closes; Postern answers 451 and keeps the session (default_action = \"tempfail\")");
        }
        return flags.Contains('R', StringComparison.Ordinal) ? MilterFailureAction.Reject : MilterFailureAction.TempFail;
    }

    /// <summary>T=C:..;S:..;R:..;E:..: C is the connect timeout, the larger of S and R the command timeout, E the end-of-message timeout.</summary>
    private MilterDefinition Timeouts(MilterDefinition milter, string? text, McOption equates)
    {
        var connect = SendmailConnect;
        var send = SendmailSendReceive;
        var receive = SendmailSendReceive;
        var endOfMessage = SendmailEndOfMessage;
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var duration = colon < 0 ? null : Duration(part[(colon + 1)..]);
            var which = colon < 0 ? "" : part[..colon];
            if (duration is not { } value || which is not ("C" or "S" or "R" or "E"))
            {
                settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{milter.Name}') T= part `{part}' is not C:, S:, R: or E: with a time (sendmail's default kept)");
                continue;
            }
            if (which == "C" && value == TimeSpan.Zero)
            {
                settings.Note(equates.File, equates.Line, $"MAIL_FILTER(`{milter.Name}') T=C:0 (the system's connect timeout): connect_timeout = \"{DurationSyntax.Format(MilterDefinition.DefaultConnectTimeout)}\"");
                value = MilterDefinition.DefaultConnectTimeout;
            }
            if (value < MinTimeout || value > MaxTimeout)
            {
                settings.NotTranslated(equates.File, equates.Line, $"MAIL_FILTER(`{milter.Name}') T= part `{part}': Postern's milter timeouts are 1s to 1h (sendmail's default kept)");
                continue;
            }
            _ = which switch
            {
                "C" => connect = value,
                "S" => send = value,
                "R" => receive = value,
                _ => endOfMessage = value,
            };
        }
        return milter with { ConnectTimeout = connect, CommandTimeout = send > receive ? send : receive, EndOfMessageTimeout = endOfMessage };
    }

    /// <summary>sendmail's time syntax for filter timeouts: digits with s, m, h, d or w; no unit means seconds.</summary>
    private static TimeSpan? Duration(string text)
    {
        text = text.Trim();
        var digits = text.TrimEnd('s', 'm', 'h', 'd', 'w');
        if (digits.Length == 0 || digits.Length > 7 || !digits.All(char.IsAsciiDigit) || text.Length - digits.Length > 1)
        {
            return null;
        }
        var count = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7L * count),
            _ => TimeSpan.FromSeconds(count),
        };
    }

    /// <summary>confMILTER_MACROS_*: the same lists for every filter, as in sendmail; a list that names itself extends sendmail's default.</summary>
    private Dictionary<MilterMacroStage, IReadOnlyList<string>> Macros()
    {
        var macros = new Dictionary<MilterMacroStage, IReadOnlyList<string>>();
        foreach (var (suffix, stage) in SendmailMilterMacros.Lists)
        {
            var defaults = MilterMacroDefaults.For(stage);
            var option = "confMILTER_MACROS_" + suffix;
            // An empty definition counts: it sends no macros at that step.
            _ = use(option);
            if (!settings.Options.TryGetValue(option, out var list))
            {
                continue;
            }
            var names = new List<string>();
            foreach (var item in list.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                foreach (var name in item == option ? defaults : [item.Trim('`', '\'')])
                {
                    if (!MilterMacroSyntax.IsMacroName(name))
                    {
                        settings.NotTranslated(list.File, list.Line, $"{option}: `{name}' is not a macro name (one character or {{name}}; left out)");
                    }
                    else if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }
            macros[stage] = names;
        }
        return macros;
    }

    private static bool NameIsValid(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
