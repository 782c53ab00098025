using Postern.Delivery.Lmtp;

namespace Postern.Config;

/// <summary>
/// Reads a key naming where mail goes instead of Postern's own Maildirs (<c>[local] transport</c>,
/// <c>[virtual] transport</c>): an LMTP destination, checked here so a typo is a configuration
/// error at its line rather than deferred mail.
/// </summary>
internal static class TransportSyntax
{
    /// <summary>The value as configured, or null when absent or invalid (then an error names the key's line).</summary>
    public static string? Read(ConfigSection section, string key)
    {
        var value = section.GetString(key);
        if (value is null)
        {
            return null;
        }
        if (!LmtpEndpoint.TryParse(value, out _, out var error))
        {
            section.Error(key, $"{error}, got {ConfigValueText.Quote(value)}");
            return null;
        }
        return value;
    }
}
