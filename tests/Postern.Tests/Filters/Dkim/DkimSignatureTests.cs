using System.Text;
using Postern.Filters.Dkim;

namespace Postern.Tests.Filters.Dkim;

/// <summary>Signatures made by Postern's signer verify with MimeKit's DkimVerifier, and break when the signed parts change.</summary>
public sealed class DkimSignatureTests
{
    private const string Plain =
        "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: hello\r\nDate: Mon, 23 Nov 2026 15:22:19 +0000\r\nMessage-ID: <m1@example.org>\r\n\r\nHello Bob.\r\n";

    private const string Awkward =
        "From: Alice\r\n  <alice@example.org>\r\nTo: bob@example.net,\r\n\tcarol@example.net\r\nSubject:   many    spaces\t here  \r\n"
        + "X-Not-Signed: whatever\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset=utf-8\r\n\r\n"
        + "  leading space\r\nruns   of \t whitespace   \r\n\t\r\ntrailing blank lines follow\r\n\r\n\r\n  \r\n\r\n";

    public static TheoryData<DkimAlgorithm, DkimCanonicalization, DkimCanonicalization, string> Cases()
    {
        var data = new TheoryData<DkimAlgorithm, DkimCanonicalization, DkimCanonicalization, string>();
        foreach (var algorithm in Enum.GetValues<DkimAlgorithm>())
        {
            foreach (var (header, body) in new[]
            {
                (DkimCanonicalization.Relaxed, DkimCanonicalization.Relaxed),
                (DkimCanonicalization.Simple, DkimCanonicalization.Simple),
                (DkimCanonicalization.Relaxed, DkimCanonicalization.Simple),
                (DkimCanonicalization.Simple, DkimCanonicalization.Relaxed),
            })
            {
                data.Add(algorithm, header, body, "plain");
                data.Add(algorithm, header, body, "awkward");
                data.Add(algorithm, header, body, "empty body");
                data.Add(algorithm, header, body, "no final CRLF");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_signature_verifies_with_MimeKit(DkimAlgorithm algorithm, DkimCanonicalization header, DkimCanonicalization body, string message)
    {
        var signer = DkimTestMessages.Signer(algorithm, header: header, body: body);
        var text = message switch
        {
            "plain" => Plain,
            "awkward" => Awkward,
            "empty body" => "From: alice@example.org\r\nSubject: nothing\r\n\r\n",
            _ => "From: alice@example.org\r\nSubject: cut short\r\n\r\nno line end",
        };

        var signed = DkimTestMessages.Sign(text, signer);

        Assert.Equal([true], DkimTestMessages.Verify(signed, DkimTestMessages.RecordsOf(signer)));
    }

    [Theory]
    [InlineData(DkimAlgorithm.Rsa)]
    [InlineData(DkimAlgorithm.Ed25519)]
    public void Changing_the_body_or_adding_an_oversigned_field_breaks_the_signature(DkimAlgorithm algorithm)
    {
        var signer = DkimTestMessages.Signer(algorithm);
        var records = DkimTestMessages.RecordsOf(signer);
        var signed = Encoding.UTF8.GetString(DkimTestMessages.Sign(Plain, signer));

        Assert.Equal([false], DkimTestMessages.Verify(Encoding.UTF8.GetBytes(signed.Replace("Hello Bob.", "Hello Eve.", StringComparison.Ordinal)), records));
        Assert.Equal([false], DkimTestMessages.Verify(Encoding.UTF8.GetBytes(signed.Replace("\r\nTo: ", "\r\nFrom: mallory@evil.example\r\nTo: ", StringComparison.Ordinal)), records));
        Assert.Equal([false], DkimTestMessages.Verify(Encoding.UTF8.GetBytes(signed.Replace("\r\nTo: ", "\r\nCc: eve@evil.example\r\nTo: ", StringComparison.Ordinal)), records));
        // What relaying may do leaves it valid: a trace field on top, trailing empty lines.
        Assert.Equal([true], DkimTestMessages.Verify(Encoding.UTF8.GetBytes("Received: from a by b; Mon, 23 Nov 2026 15:22:20 +0000\r\n" + signed + "\r\n\r\n"), records));
    }

    [Fact]
    public void Rsa_and_ed25519_signatures_of_one_message_both_verify()
    {
        var rsa = DkimTestMessages.Signer(DkimAlgorithm.Rsa, selector: "rsa2026");
        var ed25519 = DkimTestMessages.Signer(DkimAlgorithm.Ed25519, selector: "ed2026");

        var signed = DkimTestMessages.Sign(Awkward, ed25519, rsa);

        Assert.Equal([true, true], DkimTestMessages.Verify(signed, DkimTestMessages.RecordsOf(rsa, ed25519)));
        var text = Encoding.UTF8.GetString(signed);
        Assert.StartsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org; s=ed2026;\r\n\tt=1795447339;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_list_names_present_fields_once_each_and_oversigned_ones_once_more()
    {
        var signer = DkimTestMessages.Signer(DkimAlgorithm.Ed25519);

        var text = Encoding.UTF8.GetString(DkimTestMessages.Sign(Plain, signer));

        var h = text[(text.IndexOf("h=", StringComparison.Ordinal) + 2)..text.IndexOf(";\r\n\tbh=", StringComparison.Ordinal)].Replace("\r\n\t", "", StringComparison.Ordinal);
        Assert.Equal("From:From:Reply-To:Subject:Subject:Date:To:To:Cc:Message-ID", h);
        Assert.All(text.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
        Assert.DoesNotContain("X-Not-Signed", h, StringComparison.Ordinal);
    }
}
