using System.Text.RegularExpressions;
using Postern.Core.Milters;

namespace Postern.Config.Milters;

/// <summary>
/// Binds the <c>[[milter]]</c> entries and the <c>[server]</c> lists that name them; a listener's
/// own <c>milters</c> list is read by <see cref="ReadNameList"/> from <see cref="ListenerBinder"/>.
/// </summary>
internal static partial class MilterBinder
{
    private const string TableKey = "milter";

    private static readonly Dictionary<string, MilterFailureAction> Actions = new(StringComparer.Ordinal)
    {
        ["tempfail"] = MilterFailureAction.TempFail,
        ["accept"] = MilterFailureAction.Accept,
        ["reject"] = MilterFailureAction.Reject,
    };

    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>Binds the entries and <paramref name="server"/>'s <c>milters</c> and <c>local_milters</c>.</summary>
    public static MilterOptions Bind(ConfigSection root, ConfigSection? server)
    {
        var definitions = BindDefinitions(root);
        var names = definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        return new MilterOptions
        {
            Definitions = definitions,
            ServerMilters = server is null ? [] : ReadNameList(server, "milters", names) ?? [],
            LocalMilters = server is null ? [] : ReadNameList(server, "local_milters", names) ?? [],
        };
    }

    /// <summary>
    /// A list of milter names at <paramref name="key"/>: each item must name a defined milter, once;
    /// each bad item is reported at its line. Null when absent or bad.
    /// </summary>
    public static IReadOnlyList<string>? ReadNameList(ConfigSection section, string key, IReadOnlySet<string> defined)
    {
        var names = section.GetStringArray(key);
        if (names is null)
        {
            return null;
        }
        var valid = true;
        for (var i = 0; i < names.Count; i++)
        {
            if (!defined.Contains(names[i]))
            {
                var guess = KeySuggestion.Closest(names[i], defined);
                var hint = guess is null ? "" : $" (did you mean \"{guess}\"?)";
                var known = defined.Count == 0 ? "no [[milter]] is defined" : "defined: " + string.Join(", ", defined.Order(StringComparer.Ordinal));
                section.ItemError(key, i, $"names the undefined milter {ConfigValueText.Quote(names[i])}{hint}; {known}");
                valid = false;
            }
            else if (names.Take(i).Contains(names[i], StringComparer.Ordinal))
            {
                section.ItemError(key, i, $"lists {ConfigValueText.Quote(names[i])} twice");
                valid = false;
            }
        }
        return valid ? names : null;
    }

    private static List<MilterDefinition> BindDefinitions(ConfigSection root)
    {
        var definitions = new List<MilterDefinition>();
        if (root.GetTableArray(TableKey) is not { } sections)
        {
            return definitions;
        }
        var names = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in sections)
        {
            var definition = BindOne(section);
            section.ReportUnknownKeys();
            if (definition is null)
            {
                continue;
            }
            if (names.TryGetValue(definition.Name, out var first))
            {
                section.Error("name", $"duplicate milter name \"{definition.Name}\" (first used on line {first.Line}); names must be unique");
                continue;
            }
            names.Add(definition.Name, section.LocationOf("name"));
            definitions.Add(definition);
        }
        return definitions;
    }

    private static MilterDefinition? BindOne(ConfigSection section)
    {
        var name = section.GetString("name");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            section.Error("name", $"must be 1 to 64 characters from A-Z a-z 0-9 _ . -, got {ConfigValueText.Quote(name)}");
            name = null;
        }
        else if (name is null && !section.Contains("name"))
        {
            section.Error("name", "is required");
        }

        MilterSocketAddress? socket = null;
        var socketText = section.GetString("socket");
        if (socketText is not null && !MilterSocketAddress.TryParse(socketText, out socket, out var socketError))
        {
            section.Error("socket", $"must be inet:PORT@HOST, inet6:PORT@[HOST] or unix:/PATH (sendmail's S=): {socketError}, got {ConfigValueText.Quote(socketText)}");
        }
        else if (socketText is null && !section.Contains("socket"))
        {
            section.Error("socket", "is required (\"inet:8891@127.0.0.1\", \"unix:/run/opendkim/opendkim.sock\")");
        }

        var action = section.GetChoice("default_action", Actions);
        var connect = section.GetDuration("connect_timeout", MinTimeout, MaxTimeout);
        var command = section.GetDuration("command_timeout", MinTimeout, MaxTimeout);
        var endOfMessage = section.GetDuration("eom_timeout", MinTimeout, MaxTimeout);
        var macros = MilterMacroBinder.Bind(section);
        if (name is null || socket is null)
        {
            return null;
        }
        return new MilterDefinition(name, socket)
        {
            DefaultAction = action ?? MilterFailureAction.TempFail,
            ConnectTimeout = connect ?? MilterDefinition.DefaultConnectTimeout,
            CommandTimeout = command ?? MilterDefinition.DefaultCommandTimeout,
            EndOfMessageTimeout = endOfMessage ?? MilterDefinition.DefaultEndOfMessageTimeout,
            Macros = macros,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();
}
