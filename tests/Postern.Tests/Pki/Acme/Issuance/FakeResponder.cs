using Postern.Pki.Acme;
using Postern.Pki.Acme.Challenges;

namespace Postern.Tests.Pki.Acme.Issuance;

/// <summary>Keeps what is published, so the fake server can "validate" against it; records withdrawals.</summary>
internal sealed class FakeResponder(AcmeChallengeType type = AcmeChallengeType.Http01) : IAcmeChallengeResponder
{
    private readonly Dictionary<(string Domain, string Token), string> _published = [];

    public AcmeChallengeType Type => type;

    public List<(string Domain, string Token)> Withdrawn { get; } = [];

    public int Published { get; private set; }

    public Exception? PublishFailure { get; set; }

    public Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        if (PublishFailure is { } failure)
        {
            throw failure;
        }
        lock (_published)
        {
            _published[(domain, token)] = keyAuthorization;
            Published++;
        }
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(string domain, string token, CancellationToken cancellationToken)
    {
        lock (_published)
        {
            _published.Remove((domain, token));
            Withdrawn.Add((domain, token));
        }
        return Task.CompletedTask;
    }

    /// <summary>What the server would see when it checks <paramref name="domain"/>.</summary>
    public string? Answer(string domain, string token)
    {
        lock (_published)
        {
            return _published.GetValueOrDefault((domain, token));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
