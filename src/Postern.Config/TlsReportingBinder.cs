using Postern.Queue.TlsReports;

namespace Postern.Config;

/// <summary>
/// Binds <c>[tls_reporting]</c> (RFC 8460 reports): <c>enabled</c>, <c>organization</c> and
/// <c>contact</c> (server.hostname and postmaster@ unless set), <c>from</c> (the report mail's
/// sender, postmaster@server.hostname unless set) and <c>interval</c> (24h; at least 10s).
/// The reports' HTTPS POST uses delivery.https_ca_file.
/// </summary>
internal static class TlsReportingBinder
{
    public static TlsReportingOptions Bind(ConfigSection? section, string hostName, string dataDirectory, string? httpsCaFile)
    {
        var defaults = new TlsReportingOptions
        {
            Organization = hostName,
            Contact = "postmaster@" + hostName,
            From = "postmaster@" + hostName,
            Directory = ConfigPaths.Resolve(TlsReportingOptions.DirectoryName, dataDirectory),
            HttpsCaFile = httpsCaFile,
        };
        if (section is null)
        {
            return defaults;
        }
        var options = defaults with
        {
            Enabled = section.GetBoolean("enabled") ?? defaults.Enabled,
            Organization = ReadText(section, "organization") ?? defaults.Organization,
            Contact = ReadText(section, "contact") ?? defaults.Contact,
            From = MailboxSetting.Read(section, "from") ?? defaults.From,
            Interval = section.GetDuration("interval", TlsReportingOptions.MinimumInterval, TimeSpan.FromDays(31)) ?? defaults.Interval,
        };
        section.ReportUnknownKeys();
        return options;
    }

    private static string? ReadText(ConfigSection section, string key)
    {
        var text = section.GetString(key);
        if (text is not null && (text.Trim().Length == 0 || text.Any(char.IsControl) || text.Length > 256))
        {
            section.Error(key, $"must be a non-empty line of text of up to 256 characters, got {ConfigValueText.Describe(text)}");
            return null;
        }
        return text;
    }
}
