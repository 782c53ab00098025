namespace Postern.Protocol.Sasl.Client;

/// <summary>Picks and creates the client mechanism: SCRAM-SHA-256 &gt; CRAM-MD5 &gt; PLAIN &gt; LOGIN; PLAIN and LOGIN only over TLS.</summary>
public static class SaslClientMechanisms
{
    /// <summary>The mechanisms the client implements, most preferred first.</summary>
    public static IReadOnlyList<string> Preference { get; } = ["SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN"];

    /// <summary>
    /// The best mechanism the server <paramref name="offered"/>, that <paramref name="allowed"/>
    /// permits (null or empty: all), and that is safe on this connection; null when none is.
    /// </summary>
    public static string? Choose(IReadOnlySet<string> offered, IReadOnlyCollection<string>? allowed, bool tls)
    {
        ArgumentNullException.ThrowIfNull(offered);
        foreach (var name in Preference)
        {
            if (!offered.Contains(name))
            {
                continue;
            }
            if (allowed is { Count: > 0 } && !allowed.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!tls && SendsPasswordInClear(name))
            {
                continue;
            }
            return name;
        }
        return null;
    }

    public static bool SendsPasswordInClear(string name) => name is "PLAIN" or "LOGIN";

    public static ISaslClientMechanism Create(string name, SaslClientCredentials credentials) => name switch
    {
        "SCRAM-SHA-256" => new ScramSha256ClientMechanism(credentials),
        "CRAM-MD5" => new CramMd5ClientMechanism(credentials),
        "PLAIN" => new PlainClientMechanism(credentials),
        "LOGIN" => new LoginClientMechanism(credentials),
        _ => throw new ArgumentException("Unknown SASL mechanism " + name, nameof(name)),
    };
}
