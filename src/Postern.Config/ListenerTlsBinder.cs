using Postern.Core.Tls;

namespace Postern.Config;

/// <summary>Binds a listener's TLS keys: <c>tls</c>, <c>require_tls</c> and <c>client_cert</c>.</summary>
internal static class ListenerTlsBinder
{
    private static readonly Dictionary<string, ListenerTlsMode> Modes = new(StringComparer.Ordinal)
    {
        ["none"] = ListenerTlsMode.None,
        ["starttls"] = ListenerTlsMode.StartTls,
        ["implicit"] = ListenerTlsMode.Implicit,
    };

    private static readonly Dictionary<string, ClientCertificateMode> ClientCertificateModes = new(StringComparer.Ordinal)
    {
        ["none"] = ClientCertificateMode.None,
        ["ask"] = ClientCertificateMode.Ask,
        ["require"] = ClientCertificateMode.Require,
    };

    /// <param name="section">One <c>[[listener]]</c> entry.</param>
    /// <param name="clientCasConfigured">Whether <c>tls.ca_file</c> or <c>tls.ca_path</c> is set.</param>
    public static (ListenerTlsMode Mode, bool RequireTls, ClientCertificateMode ClientCertificates) Bind(ConfigSection section, bool clientCasConfigured)
    {
        var mode = section.GetChoice("tls", Modes);
        var requireTls = section.GetBoolean("require_tls");
        var clientCertificates = section.GetChoice("client_cert", ClientCertificateModes);

        // A bad tls value is already reported; checking against it would only add noise.
        var tlsInvalid = mode is null && section.Contains("tls");
        var tlsOff = (mode ?? ListenerTlsMode.None) == ListenerTlsMode.None;
        if (!tlsInvalid && tlsOff && requireTls == true)
        {
            section.Error("require_tls", "is true but tls is \"none\": nothing could satisfy it; set tls = \"starttls\"");
        }
        if (!tlsInvalid && tlsOff && clientCertificates is ClientCertificateMode.Ask or ClientCertificateMode.Require)
        {
            section.Error("client_cert", $"is {ConfigValueText.Quote(Word(clientCertificates.Value))} but tls is \"none\": certificates are only asked for in TLS; set tls = \"starttls\" or \"implicit\"");
        }
        else if (!tlsInvalid && clientCertificates == ClientCertificateMode.Require && !clientCasConfigured)
        {
            // Client certificates verify against the configured CAs only, never the system store.
            section.Error("client_cert", "is \"require\" but neither tls.ca_file nor tls.ca_path is set: no client certificate could verify, so every session would be refused");
        }

        var effectiveMode = mode ?? ListenerTlsMode.None;
        // Implicit TLS has no plaintext phase, so every MAIL comes after the handshake.
        return (effectiveMode, effectiveMode == ListenerTlsMode.Implicit || requireTls == true, clientCertificates ?? ClientCertificateMode.None);
    }

    private static string Word(ClientCertificateMode mode) => ClientCertificateModes.First(pair => pair.Value == mode).Key;
}
