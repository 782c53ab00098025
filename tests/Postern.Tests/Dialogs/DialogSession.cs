using System.Security.Cryptography.X509Certificates;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server;
using Postern.Tests.Server.Auth;

namespace Postern.Tests.Dialogs;

/// <summary>What one running script talks to and checks: the harness, its log, queue control and users.</summary>
internal sealed class DialogSession(
    DialogHarness harness,
    CollectingLogger log,
    TestTlsContext? tls,
    FakeQueueControl? queueControl,
    FakeUserDirectory users) : IAsyncDisposable
{
    private readonly List<X509Certificate2> _clientCertificates = [];

    public DialogHarness Harness => harness;

    public CollectingLogger Log => log;

    public FakeQueueControl QueueControl => queueControl ?? throw new InvalidOperationException("the script has no queue-control directive");

    public FakeUserDirectory Users => users;

    /// <summary>The TXT records of the script's dkim keys (owner name to text), for checking signatures.</summary>
    public IReadOnlyDictionary<string, string> DkimRecords { get; init; } = new Dictionary<string, string>();

    /// <summary>A client certificate for <paramref name="subject"/>, signed as <see cref="TestTlsContext"/> expects; disposed with the session.</summary>
    public X509Certificate2 ClientCertificate(string subject)
    {
        var certificate = TestTlsContext.Create(subject, serverAuth: false);
        _clientCertificates.Add(certificate);
        return certificate;
    }

    public async ValueTask DisposeAsync()
    {
        await harness.DisposeAsync();
        tls?.Dispose();
        foreach (var certificate in _clientCertificates)
        {
            certificate.Dispose();
        }
    }
}
