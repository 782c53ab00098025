using System.Buffers.Binary;
using System.Security.Cryptography;
using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

public sealed class TsigTests
{
    private static readonly TsigKey OtherSecret = KnsupdateCapture.Key with { Secret = new byte[32] };

    [Theory]
    [InlineData("add")]
    [InlineData("delete")]
    public void Knotds_signed_answer_verifies(string capture)
    {
        var request = KnsupdateCapture.Bytes(capture + "-request.bin");
        var answer = DnsMessageReader.Read(KnsupdateCapture.Bytes(capture + "-response.bin"));

        var problem = DnsUpdateAnswer.Check(answer, KnsupdateCapture.Id(request), KnsupdateCapture.RequestTsig(request).Mac, KnsupdateCapture.Key, "example.test", KnsupdateCapture.SignedAt(request));

        Assert.Null(problem);
    }

    [Fact]
    public void An_answer_with_one_octet_changed_does_not_verify()
    {
        var request = KnsupdateCapture.Bytes("add-request.bin");
        var wire = KnsupdateCapture.Bytes("add-response.bin");
        wire[3] ^= 0x05; // RCODE NOERROR -> REFUSED

        var problem = DnsUpdateAnswer.Check(DnsMessageReader.Read(wire), KnsupdateCapture.Id(request), KnsupdateCapture.RequestTsig(request).Mac, KnsupdateCapture.Key, "example.test", KnsupdateCapture.SignedAt(request));

        Assert.Contains("does not verify", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_replayed_onto_another_request_does_not_verify()
    {
        var add = KnsupdateCapture.Bytes("add-request.bin");
        var delete = KnsupdateCapture.Bytes("delete-request.bin");
        var answer = KnsupdateCapture.Bytes("add-response.bin");
        // Make the IDs agree so only the MAC chain can tell.
        BinaryPrimitives.WriteUInt16BigEndian(answer, (ushort)KnsupdateCapture.Id(delete));

        var problem = DnsUpdateAnswer.Check(DnsMessageReader.Read(answer), KnsupdateCapture.Id(delete), KnsupdateCapture.RequestTsig(delete).Mac, KnsupdateCapture.Key, "example.test", KnsupdateCapture.SignedAt(add));

        Assert.NotNull(problem);
    }

    [Fact]
    public void An_answer_checked_with_another_secret_does_not_verify()
    {
        var request = KnsupdateCapture.Bytes("add-request.bin");
        var answer = DnsMessageReader.Read(KnsupdateCapture.Bytes("add-response.bin"));

        var problem = DnsUpdateAnswer.Check(answer, KnsupdateCapture.Id(request), KnsupdateCapture.RequestTsig(request).Mac, OtherSecret, "example.test", KnsupdateCapture.SignedAt(request));

        Assert.Contains("does not verify", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_signed_more_than_the_fudge_away_is_refused()
    {
        var request = KnsupdateCapture.Bytes("add-request.bin");
        var answer = DnsMessageReader.Read(KnsupdateCapture.Bytes("add-response.bin"));

        var problem = DnsUpdateAnswer.Check(answer, KnsupdateCapture.Id(request), KnsupdateCapture.RequestTsig(request).Mac, KnsupdateCapture.Key, "example.test", KnsupdateCapture.SignedAt(request).AddSeconds(301));

        Assert.Contains("301 s away", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("badkey", "NOTAUTH/BADKEY: the server does not accept the TSIG key hmac-sha256:other-key.")]
    [InlineData("badsig", "NOTAUTH/BADSIG: the server rejects the signature of key hmac-sha256:acme-key.")]
    [InlineData("acl-denied", "NOTAUTH/BADKEY: the server does not accept the TSIG key hmac-sha256:acme-key. for other.test")]
    public void Knotds_refusals_are_explained(string capture, string expected)
    {
        var request = KnsupdateCapture.Bytes(capture + "-request.bin");
        var requestTsig = KnsupdateCapture.RequestTsig(request);
        var key = KnsupdateCapture.Key with { Name = requestTsig.KeyName };
        var zone = capture == "acl-denied" ? "other.test" : "example.test";

        var problem = DnsUpdateAnswer.Check(DnsMessageReader.Read(KnsupdateCapture.Bytes(capture + "-response.bin")), KnsupdateCapture.Id(request), requestTsig.Mac, key, zone, KnsupdateCapture.SignedAt(request));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_noerror_answer_is_not_taken_as_success()
    {
        var wire = KnsupdateCapture.Bytes("add-response.bin");
        var unsigned = StripTsig(wire);

        var problem = DnsUpdateAnswer.Check(DnsMessageReader.Read(unsigned), KnsupdateCapture.Id(wire), new byte[32], KnsupdateCapture.Key, "example.test", DateTimeOffset.UnixEpoch);

        Assert.Contains("not signed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_request_verifies_with_an_independent_hmac_over_the_rfc_8945_digest()
    {
        var key = new TsigKey("Update-Key.Example.", TsigAlgorithm.HmacSha512, RandomNumberGenerator.GetBytes(64));
        var unsigned = DnsUpdateMessage.AddTxt(7, "example.org", "_acme-challenge.example.org", "v");
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var (signed, mac) = Tsig.Sign(unsigned, key, at);

        // RFC 8945 4.3.3: the message, then key name (lower case), class ANY, TTL 0, algorithm name,
        // time signed (48 bits), fudge, error, other length: written out by hand here.
        byte[] variables =
        [
            .. "\u000aupdate-key\u0007example\u0000"u8, 0x00, 0xFF, 0, 0, 0, 0,
            .. "\u000bhmac-sha512\u0000"u8, 0x00, 0x00, 0x65, 0x53, 0xF1, 0x00, 0x01, 0x2C, 0, 0, 0, 0,
        ];
        Assert.Equal(HMACSHA512.HashData(key.Secret, (byte[])[.. unsigned, .. variables]), mac);
        var tsig = Assert.IsType<TsigRecord>(Tsig.Find(DnsMessageReader.Read(signed)));
        Assert.Equal(mac, tsig.Mac);
        Assert.Equal(7, tsig.OriginalId);
        Assert.Equal(300, tsig.Fudge);
        Assert.Equal("Update-Key.Example.", tsig.KeyName);
    }

    [Fact]
    public void An_answer_signed_as_rfc_8945_describes_verifies()
    {
        var key = new TsigKey("k.", TsigAlgorithm.HmacSha384, RandomNumberGenerator.GetBytes(48));
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var (_, requestMac) = Tsig.Sign(DnsUpdateMessage.AddTxt(9, "example.org", "_acme-challenge.example.org", "v"), key, at);
        // The answer: header (QR, UPDATE, NOERROR), the zone section, and a TSIG over
        // request MAC length + request MAC + the answer + the variables (RFC 8945 4.3.1).
        byte[] answer = [0x00, 0x09, 0xA8, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, .. "\u0007example\u0003org\u0000"u8, 0, 6, 0, 1];
        byte[] variables = [.. "\u0001k\u0000"u8, 0x00, 0xFF, 0, 0, 0, 0, .. "\u000bhmac-sha384\u0000"u8, 0x00, 0x00, 0x65, 0x53, 0xF1, 0x00, 0x01, 0x2C, 0, 0, 0, 0];
        var mac = HMACSHA384.HashData(key.Secret, (byte[])[0, (byte)requestMac.Length, .. requestMac, .. answer, .. variables]);
        byte[] rdata = [.. "\u000bhmac-sha384\u0000"u8, 0x00, 0x00, 0x65, 0x53, 0xF1, 0x00, 0x01, 0x2C, 0, (byte)mac.Length, .. mac, 0x00, 0x09, 0, 0, 0, 0];
        byte[] signed = [.. answer, .. "\u0001k\u0000"u8, 0, 250, 0, 255, 0, 0, 0, 0, 0, (byte)rdata.Length, .. rdata];
        signed[11] = 1;

        Assert.Null(DnsUpdateAnswer.Check(DnsMessageReader.Read(signed), 9, requestMac, key, "example.org", at.AddSeconds(299)));
        Assert.NotNull(DnsUpdateAnswer.Check(DnsMessageReader.Read(signed), 9, requestMac, key, "example.org", at.AddSeconds(301)));
    }

    /// <summary>The message without its last record (the TSIG), ARCOUNT lowered.</summary>
    private static byte[] StripTsig(byte[] wire)
    {
        var message = DnsMessageReader.Read(wire);
        var stripped = wire[..message.Additionals[^1].Offset];
        stripped[11]--;
        return stripped;
    }
}
