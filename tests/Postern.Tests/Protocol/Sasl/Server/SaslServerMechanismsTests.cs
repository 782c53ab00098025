using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class SaslServerMechanismsTests
{
    [Fact]
    public void Every_named_mechanism_is_registered_once_and_found_in_any_case()
    {
        var registry = new SaslServerMechanisms(Settings);
        Assert.Equal(SaslServerMechanisms.Names, registry.All.Select(f => f.Name));
        Assert.Equal(registry.All.Count, registry.All.Select(f => f.Name).Distinct().Count());
        foreach (var name in SaslServerMechanisms.Names)
        {
            Assert.Same(registry.Find(name), registry.Find(name.ToLowerInvariant()));
            Assert.Equal(name, registry.Find(name)!.Create(Context(new FakeUserDirectory())).Name);
        }
        Assert.Null(registry.Find("GSSAPI"));
    }

    [Fact]
    public void Only_plain_and_login_are_plaintext()
    {
        var registry = new SaslServerMechanisms(Settings);
        Assert.Equal(["PLAIN", "LOGIN"], registry.All.Where(f => f.IsPlaintext).Select(f => f.Name));
    }

    [Fact]
    public void A_short_secret_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SaslServerMechanisms(new SaslServerSettings(new byte[8])));
    }

    [Fact]
    public void Password_equivalent_mechanisms()
    {
        Assert.Equal(["CRAM-MD5", "DIGEST-MD5"], SaslServerMechanisms.PasswordEquivalentMechanisms.Order());
        Assert.False(SaslServerMechanisms.NeedsPasswordEquivalent("SCRAM-SHA-256"));
    }
}
