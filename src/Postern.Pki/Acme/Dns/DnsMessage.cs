namespace Postern.Pki.Acme.Dns;

/// <summary>
/// A DNS message as read from the wire: the header fields the update client needs and every
/// record of the answer (update: prerequisite), authority (update: update) and additional sections.
/// </summary>
internal sealed record DnsMessage(
    int Id,
    int Flags,
    int QuestionCount,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord> Authorities,
    IReadOnlyList<DnsRecord> Additionals,
    ReadOnlyMemory<byte> Wire)
{
    public const int TypeSoa = 6;
    public const int TypeTxt = 16;
    public const int TypeTsig = 250;
    public const int ClassIn = 1;
    public const int ClassNone = 254;
    public const int ClassAny = 255;
    public const int OpcodeUpdate = 5;

    public bool IsResponse => (Flags & 0x8000) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public bool IsTruncated => (Flags & 0x0200) != 0;

    /// <summary>The header's 4-bit RCODE (TSIG errors travel in the TSIG record, RFC 8945 5.3).</summary>
    public int ResponseCode => Flags & 0xF;
}
