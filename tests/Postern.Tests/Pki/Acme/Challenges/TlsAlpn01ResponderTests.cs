using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Pki.Acme.Challenges;

namespace Postern.Tests.Pki.Acme.Challenges;

public sealed class TlsAlpn01ResponderTests : IAsyncLifetime
{
    private const string Domain = "mail.example.org";
    private const string KeyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    private TlsAlpn01Responder _responder = null!;

    public Task InitializeAsync()
    {
        _responder = TlsAlpn01Responder.Start(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _responder.DisposeAsync();

    [Fact]
    public async Task A_validation_handshake_gets_acme_tls_1_and_the_rfc_8737_certificate()
    {
        await _responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);

        var (protocol, certificate) = await HandshakeAsync(Domain, [TlsAlpn01Responder.AcmeTls1]);

        Assert.Equal(TlsAlpn01Responder.AcmeTls1, protocol);
        using (certificate)
        {
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames();
            Assert.Equal([Domain], names);
            var acme = certificate.Extensions.Single(e => e.Oid?.Value == "1.3.6.1.5.5.7.1.31");
            Assert.True(acme.Critical);
            var reader = new AsnReader(acme.RawData, AsnEncodingRules.DER);
            Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(KeyAuthorization)), reader.ReadOctetString());
            Assert.False(reader.HasData);
            Assert.Equal(certificate.Subject, certificate.Issuer);
        }
    }

    [Fact]
    public async Task The_name_is_matched_without_regard_to_case()
    {
        await _responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);

        var (protocol, certificate) = await HandshakeAsync("MAIL.Example.ORG", [TlsAlpn01Responder.AcmeTls1]);
        certificate.Dispose();

        Assert.Equal(TlsAlpn01Responder.AcmeTls1, protocol);
    }

    [Fact]
    public async Task A_name_without_a_challenge_gets_no_handshake()
    {
        await _responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync("other.example.org", [TlsAlpn01Responder.AcmeTls1]));
    }

    [Fact]
    public async Task A_withdrawn_challenge_gets_no_handshake()
    {
        await _responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);
        await _responder.WithdrawAsync(Domain, "token", CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(Domain, [TlsAlpn01Responder.AcmeTls1]));
    }

    [Fact]
    public async Task Withdrawing_an_older_token_keeps_the_newer_challenge()
    {
        await _responder.PublishAsync(Domain, "old", KeyAuthorization, CancellationToken.None);
        await _responder.PublishAsync(Domain, "new", KeyAuthorization, CancellationToken.None);
        await _responder.WithdrawAsync(Domain, "old", CancellationToken.None);

        var (protocol, certificate) = await HandshakeAsync(Domain, [TlsAlpn01Responder.AcmeTls1]);
        certificate.Dispose();

        Assert.Equal(TlsAlpn01Responder.AcmeTls1, protocol);
    }

    [Fact]
    public async Task A_client_offering_only_other_protocols_gets_no_handshake()
    {
        await _responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(Domain, [SslApplicationProtocol.Http11]));
    }

    private async Task<(SslApplicationProtocol Protocol, X509Certificate2 Certificate)> HandshakeAsync(string serverName, List<SslApplicationProtocol> protocols)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_responder.LocalEndPoint);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        X509Certificate2? seen = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = protocols,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // The validation certificate is self-signed by design: the ACME server checks it by its extension.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : new X509Certificate2(certificate);
                return true;
            },
        }, timeout.Token);
        return (tls.NegotiatedApplicationProtocol, seen ?? throw new InvalidOperationException("no certificate"));
    }
}
