namespace Postern.Pki.Acme.Dns;

/// <summary>
/// One resource record of a parsed message. <see cref="Offset"/> is where the record starts (TSIG
/// digests the message before its own record) and <see cref="DataOffset"/> where its RDATA starts
/// (names in RDATA may point back into the message).
/// </summary>
internal sealed record DnsRecord(string Name, int Type, int Class, uint Ttl, ReadOnlyMemory<byte> Data, int Offset, int DataOffset);
