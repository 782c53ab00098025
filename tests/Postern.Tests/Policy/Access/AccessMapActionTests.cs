using System.Net;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

/// <summary>The values and lookups the restriction lists added: QUARANTINE:, TLS_Clt: requirements, file:line.</summary>
public sealed class AccessMapActionTests
{
    [Theory]
    [InlineData("x.org QUARANTINE:held for review", "held for review")]
    [InlineData("x.org quarantine:\"spam suspected\"", "spam suspected")]
    public void Quarantine_carries_its_reason(string line, string reason)
    {
        var entry = AccessMapParser.Parse(line, "access").Entries.Single();

        Assert.Equal(AccessAction.Quarantine, entry.Action);
        Assert.Equal(reason, entry.QuarantineReason);
    }

    [Theory]
    [InlineData("x.org QUARANTINE:", "access:1: QUARANTINE: needs a reason")]
    [InlineData("x.org TEMP:450 later", "access:1: unknown value 'TEMP:450 later'")]
    [InlineData("TLS_Clt:x.org VERIFY+CN:host", "access:1: unsupported TLS_Clt value 'VERIFY+CN:host'")]
    [InlineData("TLS_Clt:x.org ENCR", "access:1: unsupported TLS_Clt value 'ENCR'")]
    [InlineData("TLS_Clt:x.org ENCR:lots", "access:1: TLS_Clt value 'ENCR:lots': bits must be a number")]
    [InlineData("TLS_Clt:1.2.3.4.5 VERIFY", "access:1: TLS_Clt: bad IPv4 address or prefix")]
    public void Bad_values_refuse_the_map(string line, string error)
    {
        var exception = Assert.Throws<AccessMapException>(() => AccessMapParser.Parse(line, "access"));

        Assert.StartsWith(error, exception.Errors.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VERIFY", true, 0, false)]
    [InlineData("verify:128", true, 128, false)]
    [InlineData("ENCR:112", false, 112, false)]
    [InlineData("PERM+VERIFY:256", true, 256, true)]
    [InlineData("TEMP+ENCR:128", false, 128, false)]
    public void Tls_requirements_parse(string value, bool verify, int bits, bool permanent)
    {
        Assert.True(TlsRequirement.TryParse(value, out var requirement, out var error), error);

        Assert.Equal(new TlsRequirement(verify, bits, permanent), requirement);
    }

    [Theory]
    [InlineData("192.0.2.7", 3)]
    [InlineData("192.0.2.8", 2)]
    [InlineData("2001:db8::1", 4)]
    [InlineData("198.51.100.1", 5)]
    public void Tls_clt_lookup_is_most_specific_first_then_the_default(string client, int line)
    {
        var map = AccessMapParser.Parse("# tls\nTLS_Clt:192.0.2\tENCR:128\nTLS_Clt:192.0.2.7\tVERIFY\nTLS_Clt:IPv6:2001:0db8\tVERIFY\nTLS_Clt:\tENCR:64\n192.0.2.7\tOK\n", "/etc/mail/access");

        var entry = map.LookupTlsClient(IPAddress.Parse(client), null);

        Assert.Equal("/etc/mail/access:" + line, map.Where(entry!));
    }

    [Fact]
    public void Untagged_entries_are_not_tls_requirements()
    {
        var map = AccessMapParser.Parse("192.0.2.7\tOK\n", "access");

        Assert.Null(map.LookupTlsClient(IPAddress.Parse("192.0.2.7"), null));
    }
}
