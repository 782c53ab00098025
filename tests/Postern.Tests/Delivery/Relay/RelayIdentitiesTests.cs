using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Tls;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Relay;

public sealed class RelayIdentitiesTests : IDisposable
{
    private static readonly RelayHost Host = new("smtp.partner.example", [IPAddress.Loopback], 587);
    private static readonly CertificateFiles PartnerCertificate = new("/etc/postern/partner.pem", "/etc/postern/partner.key");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly AuthInfoFile Hosts = AuthInfoFile.Parse("authinfo", ["AuthInfo:smtp.partner.example \"U:host-user\" \"P:h\""]);

    private static readonly SenderAuthFile Senders = SenderAuthFile.Parse("sender-authinfo", ["AuthInfo:alice@example.org \"U:alice\" \"P:a\""]);

    private static readonly Dictionary<string, RelayCredential> Routes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["partner.example"] = new RelayCredential("route-user", null, "r", []),
    };

    private static RelayDestination Destination(RelayRoute? route) =>
        new(RelayDestinationStatus.Ok, [Host], OutboundTlsPolicy.Verify) { Route = route };

    private static RelayRoute PartnerRoute => new("partner.example", null) { ClientCertificate = PartnerCertificate };

    [Theory]
    [InlineData("alice@example.org", true, "alice")]
    [InlineData("bob@example.org", true, "route-user")]
    [InlineData("bob@example.org", false, "host-user")]
    public void The_sender_wins_over_the_route_which_wins_over_the_host(string sender, bool routed, string expected)
    {
        var identities = new RelayIdentities(Hosts, Senders, Routes);

        var identity = identities.For(Mailbox(sender), Destination(routed ? PartnerRoute : null), Host);

        Assert.Equal(expected, identity.Credential?.UserName);
    }

    [Fact]
    public void The_routes_client_certificate_comes_with_its_identity()
    {
        var identities = new RelayIdentities();

        Assert.Equal(PartnerCertificate, identities.For(Mailbox("bob@example.org"), Destination(PartnerRoute), Host).ClientCertificate);
        Assert.Same(RelayIdentity.Default, identities.For(Mailbox("bob@example.org"), Destination(null), Host));
    }

    [Fact]
    public void A_routes_password_comes_from_its_private_file()
    {
        var secret = _directory.WriteFile("partner.secret", "s3cret\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var route = new RelayRoute("partner.example", null) { AuthUser = "postern", AuthPasswordFile = secret };

        var credential = RelayIdentities.LoadRouteCredentials([route])["partner.example"];

        Assert.Equal(("postern", "s3cret"), (credential.UserName, credential.Password));
        Assert.DoesNotContain("s3cret", credential.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3cret\n", UnixFileMode.GroupRead, "mode 0640")]
    [InlineData("\n", UnixFileMode.None, "no password on the first line")]
    public void A_password_file_that_is_shared_or_empty_is_refused(string text, UnixFileMode extra, string message)
    {
        var secret = _directory.WriteFile("partner.secret", text);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
        var route = new RelayRoute("partner.example", null) { AuthUser = "postern", AuthPasswordFile = secret };

        var error = Assert.Throws<AuthInfoFileException>(() => RelayIdentities.LoadRouteCredentials([route]));

        Assert.Contains(secret, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static Mailbox Mailbox(string address) => RelayTestSupport.Mailbox(address);
}
