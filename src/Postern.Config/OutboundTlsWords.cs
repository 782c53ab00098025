using Postern.Delivery.Relay;

namespace Postern.Config;

/// <summary>The configuration words of <see cref="OutboundTlsPolicy"/> (<c>delivery.tls</c>, <c>[[route]] tls</c>), both ways.</summary>
public static class OutboundTlsWords
{
    internal static readonly IReadOnlyDictionary<string, OutboundTlsPolicy> Choices = new Dictionary<string, OutboundTlsPolicy>(StringComparer.Ordinal)
    {
        ["may"] = OutboundTlsPolicy.May,
        ["encrypt"] = OutboundTlsPolicy.Encrypt,
        ["verify"] = OutboundTlsPolicy.Verify,
        ["dane"] = OutboundTlsPolicy.Dane,
        ["dane-only"] = OutboundTlsPolicy.DaneOnly,
    };

    public static string Word(OutboundTlsPolicy policy) => Choices.First(c => c.Value == policy).Key;
}
