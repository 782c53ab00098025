using Postern.Queue.TlsReports;

namespace Postern.Config;

/// <summary>The <c>[tls_reporting]</c> section of <c>config show</c>, every key with its effective value.</summary>
public static class TlsReportingWriter
{
    public static void Write(TomlBuilder toml, TlsReportingOptions options)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ArgumentNullException.ThrowIfNull(options);
        toml.Section("tls_reporting");
        toml.Key("enabled", TomlText.Boolean(options.Enabled));
        toml.Key("organization", TomlText.String(options.Organization));
        toml.Key("contact", TomlText.String(options.Contact));
        toml.Key("from", TomlText.String(options.From));
        toml.Key("interval", TomlText.String(DurationSyntax.Format(options.Interval)));
        toml.Comment($"Counts waiting to be reported: {options.Directory}");
    }
}
