using System.Security.Cryptography.X509Certificates;
using Postern.Core.Smtp;
using Postern.Pki.Certificates;
using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

/// <summary>How `postern check` writes what it saw: addresses as typed, keyword lists, DNs in sendmail's form.</summary>
public sealed class CheckTextFormTests
{
    [Fact]
    public void An_IPv6_target_is_written_in_brackets()
    {
        var output = new StringWriter();

        CheckTextReport.Write(output, CheckSamples.Clean() with { Host = "2001:db8::25", Port = 587 }, []);

        Assert.StartsWith("postern check [2001:db8::25]:587 (STARTTLS)", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("mail.example.org:25", CheckTextReport.HostAndPort("mail.example.org", 25));
    }

    [Fact]
    public void An_empty_last_EHLO_line_adds_no_keyword_and_no_dangling_comma()
    {
        var ehlo = CheckSession.Ehlo(new SmtpReply(250, null, "mail.example.org", "PIPELINING", "STARTTLS ", ""));
        var output = new StringWriter();

        CheckTextReport.Write(output, CheckSamples.Clean() with { EhloBeforeTls = ehlo }, []);

        Assert.Equal(["PIPELINING", "STARTTLS"], ehlo.Keywords);
        Assert.Contains("EHLO (clear)   PIPELINING, STARTTLS\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Acceptable_issuers_are_written_in_sendmails_form_like_every_other_DN()
    {
        // As .NET's callback gives it: the Name of a DN decoded from the CertificateRequest's DER.
        var name = new X500DistinguishedName(new X500DistinguishedName("CN=Joe's Certificate Authority, O=Foo Enterprises, ST=Washington, C=US").RawData);

        Assert.Equal("/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", DistinguishedNameFormatter.ToSendmail(name));
        Assert.Equal("/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", AcceptableIssuerNames.ToSendmail(name.Name));
    }
}
