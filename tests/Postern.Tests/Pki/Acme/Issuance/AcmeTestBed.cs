using Microsoft.Extensions.Time.Testing;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Acme.Issuance;

/// <summary>A temporary acme directory, a fake clock, a fake server and responder, and the options tying them.</summary>
internal sealed class AcmeTestBed : IDisposable
{
    private readonly TempDirectory _directory = new();

    public AcmeTestBed(AcmeKeyTypes keyTypes = AcmeKeyTypes.Ecdsa, TimeSpan? renewBefore = null, params string[] domains)
    {
        Options = new AcmeOptions
        {
            DirectoryUrl = new Uri("https://acme.test/directory"),
            Domains = domains.Length == 0 ? ["mail.example.org", "smtp.example.org"] : domains,
            HttpListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            TlsAlpnListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            KeyTypes = keyTypes,
            RenewBefore = renewBefore,
            Email = "postmaster@example.org",
            Directory = _directory.Combine("acme"),
        };
        Store = new AcmeStore(new AcmeLayout(Options.Directory));
        Server = new FakeAcmeServer(Responder, Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 1, 10, 12, 0, 0, TimeSpan.Zero));

    public FakeResponder Responder { get; } = new();

    public FakeAcmeServer Server { get; }

    public AcmeOptions Options { get; set; }

    public AcmeStore Store { get; }

    public AcmeIssuer Issuer() => new(Server, Responder, Store, Clock);

    public AcmeRenewer Renewer(int seed = 1) => new(Options, Store, Server, Responder, Clock, new Random(seed));

    public Task<AcmeAttempt> RenewAsync(AcmeRenewer renewer, bool force = false) =>
        ClockPump.RunAsync(Clock, () => renewer.RenewAsync(force, CancellationToken.None));

    public void Dispose()
    {
        Server.Dispose();
        _directory.Dispose();
    }
}
