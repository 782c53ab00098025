using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

public sealed class DnsUpdateMessageTests
{
    [Fact]
    public void An_added_challenge_record_is_byte_for_byte_what_knsupdate_sends()
    {
        var captured = KnsupdateCapture.Bytes("add-request.bin");
        var unsigned = DnsUpdateMessage.AddTxt(KnsupdateCapture.Id(captured), KnsupdateCapture.Zone, KnsupdateCapture.Owner, KnsupdateCapture.Value);

        var (signed, _) = Tsig.Sign(unsigned, KnsupdateCapture.Key, KnsupdateCapture.SignedAt(captured));

        Assert.Equal(Convert.ToHexString(captured), Convert.ToHexString(signed));
    }

    [Fact]
    public void A_deleted_challenge_record_is_byte_for_byte_what_knsupdate_sends()
    {
        var captured = KnsupdateCapture.Bytes("delete-request.bin");
        var unsigned = DnsUpdateMessage.DeleteTxt(KnsupdateCapture.Id(captured), KnsupdateCapture.Zone, KnsupdateCapture.Owner, KnsupdateCapture.Value);

        var (signed, _) = Tsig.Sign(unsigned, KnsupdateCapture.Key, KnsupdateCapture.SignedAt(captured));

        Assert.Equal(Convert.ToHexString(captured), Convert.ToHexString(signed));
    }

    [Fact]
    public void The_update_has_the_rfc_2136_layout()
    {
        var wire = DnsUpdateMessage.AddTxt(0x1234, "example.org", "_acme-challenge.mail.example.org", "abc");
        var message = DnsMessageReader.Read(wire);

        Assert.Equal(0x1234, message.Id);
        Assert.Equal(DnsMessage.OpcodeUpdate, message.Opcode);
        Assert.False(message.IsResponse);
        Assert.Equal(1, message.QuestionCount);
        Assert.Empty(message.Answers);
        var update = Assert.Single(message.Authorities);
        Assert.Equal("_acme-challenge.mail.example.org.", update.Name);
        Assert.Equal(DnsMessage.TypeTxt, update.Type);
        Assert.Equal(DnsMessage.ClassIn, update.Class);
        Assert.Equal(60u, update.Ttl);
        Assert.Equal("03616263", Convert.ToHexString(update.Data.Span));
        Assert.Empty(message.Additionals);
    }

    [Fact]
    public void A_delete_names_the_exact_record_with_class_none_and_ttl_zero()
    {
        var update = Assert.Single(DnsMessageReader.Read(DnsUpdateMessage.DeleteTxt(1, "example.org", "_acme-challenge.example.org", "abc")).Authorities);

        Assert.Equal(DnsMessage.ClassNone, update.Class);
        Assert.Equal(0u, update.Ttl);
        Assert.Equal("_acme-challenge.example.org.", update.Name);
        Assert.Equal("03616263", Convert.ToHexString(update.Data.Span));
    }

    [Fact]
    public void A_name_outside_the_zone_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DnsUpdateMessage.AddTxt(1, "example.org", "_acme-challenge.example.net", "abc"));
    }
}
