namespace Postern.Pki.Acme.Dns;

/// <summary>
/// RFC 2136 UPDATE messages for one TXT record: the zone section names the zone (SOA, IN), no
/// prerequisites, one update RR. Adding is class IN with the TTL (2.5.1); deleting is class NONE,
/// TTL 0 and the exact RDATA (2.5.4), so other TXT values at the same name (a wildcard's and the
/// bare name's challenges share <c>_acme-challenge.NAME</c>) stay. Owners are compressed against
/// the zone as knsupdate and nsupdate write them.
/// </summary>
internal static class DnsUpdateMessage
{
    /// <summary>The TTL of published challenge records: short, since they live for minutes (lego and certbot's plugins use 60 or 120).</summary>
    public const uint ChallengeTtl = 60;

    public static byte[] AddTxt(int id, string zone, string owner, string text) => Build(id, zone, owner, text, DnsMessage.ClassIn, ChallengeTtl);

    public static byte[] DeleteTxt(int id, string zone, string owner, string text) => Build(id, zone, owner, text, DnsMessage.ClassNone, 0);

    private static byte[] Build(int id, string zone, string owner, string text, int @class, uint ttl)
    {
        if (!DnsName.IsAtOrBelow(owner, zone))
        {
            throw new ArgumentException($"{owner} is not in the zone {zone}", nameof(owner));
        }
        var writer = new DnsWireWriter();
        writer.UInt16(id);
        writer.UInt16(DnsMessage.OpcodeUpdate << 11);
        writer.UInt16(1);
        writer.UInt16(0);
        writer.UInt16(1);
        writer.UInt16(0);
        writer.Name(zone);
        writer.UInt16(DnsMessage.TypeSoa);
        writer.UInt16(DnsMessage.ClassIn);
        writer.Name(owner, zone);
        writer.UInt16(DnsMessage.TypeTxt);
        writer.UInt16(@class);
        writer.UInt32(ttl);
        var rdata = new DnsWireWriter();
        rdata.CharacterString(text);
        writer.UInt16(rdata.Length);
        writer.Bytes(rdata.Written);
        return writer.ToArray();
    }
}
