using System.Text;
using Postern.Delivery.Relay;

namespace Postern.Tests.Delivery.Relay;

public sealed class TlsRequiredHeaderTests
{
    [Theory]
    [InlineData("Subject: x\r\nTLS-Required: No\r\n\r\nbody\r\n", true)]
    [InlineData("tls-required:no\r\n\r\n", true)]
    [InlineData("Subject: x\nTLS-Required:\n  No\n\nbody\n", true)]
    [InlineData("TLS-Required: No\r\nSubject: last\r\n\r\n", true)]
    [InlineData("Subject: x\r\nTLS-Required: Yes\r\n\r\n", false)]
    [InlineData("Subject: x\r\nX-TLS-Required: No\r\n\r\n", false)]
    [InlineData("Subject: x\r\n\r\nTLS-Required: No\r\n", false)]
    [InlineData("Subject: x\r\nTLS-Required: No, please\r\n\r\n", false)]
    [InlineData("\r\nTLS-Required: No\r\n", false)]
    public void Only_the_field_in_the_header_section_counts(string message, bool expected) =>
        Assert.Equal(expected, TlsRequiredHeader.SaysNo(Encoding.ASCII.GetBytes(message)));

    [Fact]
    public void A_header_section_that_does_not_end_within_the_limit_keeps_the_policies()
    {
        var cut = "TLS-Required: No\r\nX-Long: " + new string('a', 100);

        Assert.False(TlsRequiredHeader.SaysNo(Encoding.ASCII.GetBytes(cut)));
    }
}
