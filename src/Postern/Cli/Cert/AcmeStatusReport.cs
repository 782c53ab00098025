using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;

namespace Postern.Cli.Cert;

/// <summary>What <c>postern cert acme status</c> shows, read from the acme directory's files alone.</summary>
internal sealed record AcmeStatusReport
{
    public required string Directory { get; init; }

    public required string StateDirectory { get; init; }

    public string? AccountUrl { get; init; }

    public DateTimeOffset? AccountCreated { get; init; }

    public required IReadOnlyList<string> Domains { get; init; }

    public required string Challenge { get; init; }

    public required IReadOnlyList<AcmeCertificateStatus> Certificates { get; init; }

    public DateTimeOffset? NextRenewal { get; init; }

    public string? NextRenewalReason { get; init; }

    public DateTimeOffset? LastAttempt { get; init; }

    public string? LastResult { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public int ConsecutiveFailures { get; init; }

    public static AcmeStatusReport Read(AcmeOptions options, DateTimeOffset now)
    {
        var store = new AcmeStore(new AcmeLayout(options.Directory));
        var state = store.LoadState();
        var account = store.LoadAccount();
        var sameDirectory = account is not null && account.Directory == options.DirectoryUrl.ToString();
        return new AcmeStatusReport
        {
            Directory = options.DirectoryUrl.ToString(),
            StateDirectory = options.Directory,
            AccountUrl = sameDirectory ? account!.Url : null,
            AccountCreated = sameDirectory ? account!.Created : null,
            Domains = options.Domains,
            Challenge = AcmeChallengeNames.Wire(options.Challenge),
            Certificates = [.. AcmeKeyTypeNames.Each(options.KeyTypes).Select(k => AcmeCertificateStatus.Read(store, state, k, now))],
            NextRenewal = state.NextRenewal,
            NextRenewalReason = state.NextRenewalReason,
            LastAttempt = state.LastAttempt,
            LastResult = state.LastResult,
            LastError = state.LastError,
            LastErrorAt = state.LastErrorAt,
            ConsecutiveFailures = state.ConsecutiveFailures,
        };
    }
}
