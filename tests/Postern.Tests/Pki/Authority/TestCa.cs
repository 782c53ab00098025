using Microsoft.Extensions.Time.Testing;
using Postern.Pki.Authority;

namespace Postern.Tests.Pki.Authority;

/// <summary>A CA in a fresh temp directory, "Joe's Certificate Authority" as in seed 001, on a fake clock.</summary>
internal sealed class TestCa : IDisposable
{
    public const string SubjectPrefix = "/C=US/ST=Washington/O=Foo Enterprises";
    public const string Name = "Joe's Certificate Authority";

    public TestCa(KeyAlgorithm key = KeyAlgorithm.EcdsaP256, int days = CaInitOptions.DefaultDays)
    {
        Root = Path.Combine(Path.GetTempPath(), "postern-ca-" + Guid.NewGuid().ToString("N"));
        Directory = Path.Combine(Root, "ca");
        Authority = CertificateAuthority.Create(new CaInitOptions(Directory, Name, SubjectPrefix, key, days), Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public string Root { get; }

    public string Directory { get; }

    public CertificateAuthority Authority { get; }

    public IssuedCertificate IssueClient(string name = "Joe User", string? email = "joe@example.org", int days = 365) =>
        Authority.Issue(new IssueRequest(CertificateKind.Client, name, [], [], email is null ? [] : [email], days, KeyAlgorithm.EcdsaP256, null), Clock);

    public IssuedCertificate IssueServer(string host = "mail.example.org", KeyAlgorithm key = KeyAlgorithm.EcdsaP256, int days = 365) =>
        Authority.Issue(new IssueRequest(CertificateKind.Server, host, [host], [System.Net.IPAddress.Loopback], [], days, key, null), Clock);

    public void Dispose()
    {
        Authority.Dispose();
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
