using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Postern.Tools.Migration;

/// <summary>
/// DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA, M=Eas') to listeners: <c>M=s</c> implicit
/// TLS, <c>S</c> no STARTTLS, <c>a</c> AUTH required, <c>A</c> no AUTH, <c>E</c> no ETRN. Port 465/587
/// or a name with MSA/SSA makes a submission (msa) listener. <c>InputMailFilters=</c> is the listener's <c>milters</c>.
/// </summary>
internal static partial class DaemonOptionsTranslator
{
    public static McListener? Translate(McOption daemon, McSettings settings, int index)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in daemon.Value.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[part[..equals].Trim()] = part[(equals + 1)..].Trim();
            }
        }
        var port = Port(fields.GetValueOrDefault("Port", "smtp"));
        if (port is null)
        {
            settings.NotTranslated(daemon.File, daemon.Line, $"DAEMON_OPTIONS(`{daemon.Value}'): unknown port {fields["Port"]}");
            return null;
        }
        var inet6 = fields.GetValueOrDefault("Family", "inet").Equals("inet6", StringComparison.OrdinalIgnoreCase);
        var addressText = fields.GetValueOrDefault("Addr", inet6 ? "::" : "0.0.0.0");
        if (!IPAddress.TryParse(addressText, out var address))
        {
            settings.NotTranslated(daemon.File, daemon.Line, $"DAEMON_OPTIONS(`{daemon.Value}'): Addr={addressText} is not an IP address; Postern listens on addresses");
            return null;
        }
        var rawName = fields.GetValueOrDefault("Name", "");
        var name = SafeName().Replace(rawName, "-");
        if (name.Length == 0)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"daemon{index}");
        }
        name = name.Length > 32 ? name[..32] : name;

        var modifiers = fields.GetValueOrDefault("M", fields.GetValueOrDefault("Modifiers", ""));
        var role = port is 465 or 587 || rawName.Contains("MSA", StringComparison.OrdinalIgnoreCase) || rawName.Contains("SSA", StringComparison.OrdinalIgnoreCase)
            ? "msa" : "mta";
        var tls = modifiers.Contains('s', StringComparison.Ordinal) ? "implicit" : modifiers.Contains('S', StringComparison.Ordinal) ? "none" : "starttls";
        var auth = modifiers.Contains('a', StringComparison.Ordinal) ? "require" : modifiers.Contains('A', StringComparison.Ordinal) ? "off" : "offer";
        bool? etrn = modifiers.Contains('E', StringComparison.Ordinal) ? false : null;
        var unknown = modifiers.Where(m => !"sSaAE, ".Contains(m, StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            settings.NotTranslated(daemon.File, daemon.Line, $"DAEMON_OPTIONS modifiers {string.Concat(unknown)} of `{daemon.Value}' have no Postern equivalent");
        }
        // InputMailFilters=a;b (I=): semicolons, since commas separate the daemon's fields.
        var filters = fields.GetValueOrDefault("InputMailFilters") ?? fields.GetValueOrDefault("I");
        foreach (var key in fields.Keys.Where(k => k is not ("Port" or "Addr" or "Name" or "Family" or "M" or "Modifiers" or "InputMailFilters" or "I")))
        {
            settings.NotTranslated(daemon.File, daemon.Line, $"DAEMON_OPTIONS {key}={fields[key]} has no Postern equivalent");
        }
        var endPoint = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
        return new McListener(name, endPoint, role, tls, auth, etrn, daemon)
        {
            Milters = filters?.Split([';', ' '], StringSplitOptions.RemoveEmptyEntries),
        };
    }

    private static int? Port(string text) => text.ToLowerInvariant() switch
    {
        "smtp" => 25,
        "submission" => 587,
        "smtps" or "ssmtp" or "urd" => 465,
        _ => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null,
    };

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex SafeName();
}
