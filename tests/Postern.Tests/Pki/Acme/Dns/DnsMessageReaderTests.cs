using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

public sealed class DnsMessageReaderTests
{
    private static readonly byte[] Header = [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void Compressed_names_are_followed_backwards()
    {
        var message = DnsMessageReader.Read(KnsupdateCapture.Bytes("add-request.bin"));

        Assert.Equal(KnsupdateCapture.Owner, Assert.Single(message.Authorities).Name);
    }

    [Fact]
    public void A_pointer_to_itself_is_refused_not_followed()
    {
        byte[] wire = [.. Header, 0xC0, 12, 0, 6, 0, 1];

        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(wire));
    }

    [Fact]
    public void A_pointer_forwards_is_refused()
    {
        byte[] wire = [.. Header, 0xC0, 14, 0, 6, 0, 1];

        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(wire));
    }

    [Fact]
    public void A_record_longer_than_the_message_is_refused()
    {
        byte[] wire = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 200, 1, 2];

        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(wire));
    }

    [Fact]
    public void Counts_larger_than_the_records_there_are_refused()
    {
        byte[] wire = [0, 1, 0x80, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(wire));
    }

    [Fact]
    public void Trailing_octets_are_refused()
    {
        byte[] wire = [.. Header, 0, 0, 6, 0, 1, 0xAA];

        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(wire));
    }

    [Fact]
    public void A_short_header_is_refused()
    {
        Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(new byte[11]));
    }

    [Fact]
    public void Odd_octets_in_labels_come_out_escaped()
    {
        byte[] wire = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, (byte)'a', (byte)'.', 0x07, 0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 0];

        Assert.Equal("a\\046\\007.", Assert.Single(DnsMessageReader.Read(wire).Answers).Name);
    }
}
