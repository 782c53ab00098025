using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;

namespace Postern.Cli.Cert;

/// <summary>One key type's live certificate (facts from the file) and its renewal data (from state.json).</summary>
internal sealed record AcmeCertificateStatus
{
    public required string KeyType { get; init; }

    public required string File { get; init; }

    public bool Present { get; init; }

    public string? Serial { get; init; }

    public string? Issuer { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? NotAfter { get; init; }

    public int? DaysLeft { get; init; }

    public IReadOnlyList<string> Names { get; init; } = [];

    public DateTimeOffset? RenewAt { get; init; }

    public string? RenewReason { get; init; }

    public DateTimeOffset? AriWindowStart { get; init; }

    public DateTimeOffset? AriWindowEnd { get; init; }

    public string? AriExplanation { get; init; }

    public static AcmeCertificateStatus Read(AcmeStore store, AcmeState state, AcmeKeyTypes keyType, DateTimeOffset now)
    {
        var file = store.Layout.LiveFile(keyType);
        using var leaf = store.ReadLiveLeaf(keyType);
        if (leaf is null)
        {
            return new AcmeCertificateStatus { KeyType = AcmeKeyTypeNames.Name(keyType), File = file };
        }
        var live = AcmeCertificate.From(keyType, leaf);
        var recorded = state.For(keyType) is { } entry && entry.Serial == live.Serial ? entry : null;
        return new AcmeCertificateStatus
        {
            KeyType = AcmeKeyTypeNames.Name(keyType),
            File = file,
            Present = true,
            Serial = live.Serial,
            Issuer = live.Issuer,
            NotBefore = live.NotBefore,
            NotAfter = live.NotAfter,
            DaysLeft = (int)Math.Floor((live.NotAfter - now).TotalDays),
            Names = live.Domains,
            RenewAt = recorded?.RenewAt,
            RenewReason = recorded?.RenewReason,
            AriWindowStart = recorded?.AriWindowStart,
            AriWindowEnd = recorded?.AriWindowEnd,
            AriExplanation = recorded?.AriExplanation,
        };
    }
}
