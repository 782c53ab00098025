using System.Text.RegularExpressions;

namespace Postern.Tools.Migration;

/// <summary>
/// Walks the macro calls of a .mc (and the files it includes) and collects what they set into
/// <see cref="McSettings"/>; every call it cannot use is reported with its file and line.
/// </summary>
internal sealed partial class McCollector
{
    private const int MaxIncludeDepth = 8;

    // Boilerplate that shapes the generated .cf but means nothing to Postern.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "divert", "VERSIONID", "OSTYPE", "DOMAIN", "MAILER_DEFINITIONS", "undivert",
    };

    // FEATUREs that Postern's behaviour already covers, with why.
    private static readonly Dictionary<string, string> CoveredFeatures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["relay_hosts_only"] = "Postern's policy.relay_domains already match exact names (write .example.org for subdomains)",
        ["no_default_msa"] = "no submission listener is added besides the DAEMON_OPTIONS ones",
        ["always_add_domain"] = "Postern qualifies bare local addresses with server.hostname",
        ["nouucp"] = "Postern never routes with ! paths",
        ["nocanonify"] = "Postern does not canonify host names through DNS",
    };

    // FEATUREs whose Postern equivalent exists but whose data lives outside the .mc: what to write instead.
    private static readonly Dictionary<string, string> HandWrittenFeatures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mailertable"] = "write each mailertable line as a [[route]] in postern.toml (domain = \"example.org\", or \".example.org\" for its subdomains; via = \"[relay.example.org]:25\"); see docs/configuration.md, [[route]]",
    };

    private readonly McSettings _settings = new();
    private readonly M4Expander _macros = new();
    private readonly Func<string, string> _mapPath;
    private bool _inCfText;

    /// <param name="mapPath">Where a path named in the .mc is found on this machine (identity, or under a copied root).</param>
    public McCollector(Func<string, string> mapPath) => _mapPath = mapPath;

    public McSettings Collect(string text, string file)
    {
        Walk(M4Reader.Read(text), file, 0);
        return _settings;
    }

    private void Walk(IReadOnlyList<M4Item> items, string file, int depth)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case M4Call call:
                    Call(call, file, depth);
                    break;
                case M4TextLine text:
                    Text(text, file);
                    break;
            }
        }
    }

    private void Call(M4Call call, string file, int depth)
    {
        var line = call.Line;
        var first = _macros.Expand(call.Argument(0)).Trim();
        switch (call.Name)
        {
            case "define":
                Define(first, _macros.Expand(call.Argument(1)).Trim(), file, line);
                break;
            case "undefine":
                _settings.Options.Remove(first);
                _macros.Undefine(first);
                break;
            case "include" or "sinclude":
                Include(first, file, line, depth);
                break;
            case "ifdef" or "ifelse" when call.Arguments.Count >= 2 && depth < MaxIncludeDepth:
                // Mostly version guards (Debian's starttls.m4): read the branch that applies on a working system.
                var branch = call.Arguments[^1];
                Walk(M4Reader.Read(branch.Text, branch.Line), file, depth + 1);
                break;
            case "DAEMON_OPTIONS":
                _settings.Daemons.Add(new McOption(first, file, line));
                break;
            case "TRUST_AUTH_MECH":
                _settings.TrustedMechanisms = new McOption(first, file, line);
                break;
            case "SMART_HOST":
                _settings.SmartHost = new McOption(first, file, line);
                break;
            case "MAIL_FILTER" or "INPUT_MAIL_FILTER":
                MailFilter(call, first, file, line);
                break;
            case "FEATURE":
                Feature(call, first, file, line);
                break;
            case "MAILER":
                if (first is not ("local" or "smtp"))
                {
                    _settings.NotTranslated(file, line, $"MAILER(`{first}'): Postern delivers only to local Maildirs and over SMTP (use [[route]] for special destinations)");
                }
                break;
            case "APPENDDEF" or "define_build":
                _settings.Note(file, line, $"{call.Name}(`{first}', ...) is a build setting (site.config.m4): Postern needs none, STARTTLS and SASL are built in");
                break;
            case var section when M4Reader.BareSections.Contains(section):
                _inCfText = true;
                _settings.NotTranslated(file, line, $"{section}: raw sendmail.cf text cannot be translated; its lines are listed below");
                break;
            case var name when Ignored.Contains(name):
                break;
            default:
                _settings.NotTranslated(file, line, $"{call.Name}(...): no Postern equivalent");
                break;
        }
    }

    private void Define(string name, string value, string file, int line)
    {
        if (name == "SMART_HOST")
        {
            _settings.SmartHost = new McOption(value, file, line);
        }
        else if (name.StartsWith("conf", StringComparison.Ordinal))
        {
            _settings.Options[name] = new McOption(value, file, line);
        }
        else
        {
            // A helper macro (CERT_DIR ...): used when later values are expanded.
            _macros.Define(name, value);
        }
    }

    /// <summary>
    /// Both define a filter; INPUT_MAIL_FILTER also appends it to confINPUT_MAIL_FILTERS, as
    /// sendmail's m4 does, so a later define of that list replaces what came before.
    /// </summary>
    private void MailFilter(M4Call call, string name, string file, int line)
    {
        _settings.MailFilters.Add((name, new McOption(_macros.Expand(call.Argument(1)).Trim(), file, line)));
        if (call.Name == "INPUT_MAIL_FILTER")
        {
            const string List = "confINPUT_MAIL_FILTERS";
            var value = _settings.Options.TryGetValue(List, out var before) && before.Value.Length > 0 ? before.Value + "," + name : name;
            _settings.Options[List] = new McOption(value, file, line);
        }
    }

    private void Include(string path, string file, int line, int depth)
    {
        if (path.EndsWith("/cf.m4", StringComparison.Ordinal) || path.EndsWith("autoconf.m4", StringComparison.Ordinal))
        {
            return; // the m4 framework itself
        }
        var local = _mapPath(path);
        if (File.Exists(local) && depth < MaxIncludeDepth)
        {
            _settings.Note(file, line, $"include(`{path}'): read from {local}");
            Walk(M4Reader.Read(File.ReadAllText(local)), path, depth + 1);
        }
        else if (Path.GetFileName(path) == DebianStartTls.FileName)
        {
            _settings.Note(file, line, $"include(`{path}'): not found here; assumed Debian's defaults (certificates in /etc/mail/tls, CAs in /etc/ssl/certs) without confTLS_SRV_OPTIONS `V', so client certificates are asked for");
            foreach (var (name, value) in DebianStartTls.Defines)
            {
                _settings.Options[name] = new McOption(value, file, line);
            }
        }
        else
        {
            _settings.NotTranslated(file, line, $"include(`{path}'): file not found ({local})");
        }
    }

    private void Feature(M4Call call, string name, string file, int line)
    {
        var argument = _macros.Expand(call.Argument(1)).Trim();
        _settings.Features[name] = new McOption(argument, file, line);
        if (name is "access_db" or "use_cw_file")
        {
            return; // translated with the rest
        }
        if (ClientLimitNote(name, argument) is { } limits)
        {
            _settings.Note(file, line, limits);
            return;
        }
        if (CoveredFeatures.TryGetValue(name, out var why))
        {
            _settings.Note(file, line, $"FEATURE(`{name}'): {why}");
        }
        else if (name == "promiscuous_relay")
        {
            _settings.NotTranslated(file, line, "FEATURE(`promiscuous_relay') makes an open relay; Postern never does");
        }
        else if (HandWrittenFeatures.TryGetValue(name, out var use))
        {
            _settings.NotTranslated(file, line, $"FEATURE(`{name}'): {use}");
        }
        else
        {
            _settings.NotTranslated(file, line, $"FEATURE(`{name}'): no Postern equivalent");
        }
    }

    // The features that read the access map's per-client entries, which Postern reads as sendmail does.
    private static string? ClientLimitNote(string name, string argument) => name.ToLowerInvariant() switch
    {
        "greet_pause" when argument.Length > 0 =>
            $"FEATURE(`greet_pause', `{argument}'): the access map's GreetPause: entries apply; for this default add \"GreetPause:<TAB>{argument}\" to the access map",
        "greet_pause" => "FEATURE(`greet_pause'): the access map's GreetPause: entries apply",
        "ratecontrol" => "FEATURE(`ratecontrol'): the access map's ClientRate: entries apply",
        "conncontrol" => "FEATURE(`conncontrol'): the access map's ClientConn: entries apply; limits.max_connections_per_ip is the limit for clients without one",
        _ => null,
    };

    private void Text(M4TextLine text, string file)
    {
        var match = CfOption().Match(text.Text);
        if (match.Success && CfOptionNames.ConfName(match.Groups[1].Value) is { } confName)
        {
            _settings.Options[confName] = new McOption(match.Groups[2].Value.Trim(), file, text.Line);
            return;
        }
        if (_inCfText && text.Text.Contains("{verify}", StringComparison.Ordinal))
        {
            _settings.NotTranslated(file, text.Line, $"{text.Text}: not needed, Postern lets a client certificate count only when it verified (verify=OK)");
            return;
        }
        _settings.NotTranslated(file, text.Line, _inCfText ? $"sendmail.cf text: {text.Text}" : $"not an m4 macro call: {text.Text}");
    }

    [GeneratedRegex(@"^O\s+([A-Za-z]+)\s*=(.*)$")]
    private static partial Regex CfOption();
}
