using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Transaction signatures (RFC 8945): signs a request and verifies the answer to it. The MAC
/// covers the message as sent plus the TSIG variables (4.3.3); a response's MAC also covers the
/// request's MAC (4.3.1), so an answer cannot be replayed onto another request.
/// </summary>
internal static class Tsig
{
    /// <summary>Seconds of clock difference accepted either way (RFC 8945 10 recommends 300).</summary>
    public const int Fudge = 300;

    public const int ErrorBadSig = 16;
    public const int ErrorBadKey = 17;
    public const int ErrorBadTime = 18;
    public const int ErrorBadTrunc = 22;

    /// <summary>
    /// Appends a TSIG record to <paramref name="message"/> (a complete message without one) and
    /// counts it in ARCOUNT. Returns the signed message and its MAC (needed to verify the answer).
    /// </summary>
    public static (byte[] Wire, byte[] Mac) Sign(ReadOnlySpan<byte> message, TsigKey key, DateTimeOffset now)
    {
        var timeSigned = now.ToUnixTimeSeconds();
        var variables = Variables(key.Name, key.Algorithm.Name, timeSigned, Fudge, error: 0, []);
        var mac = key.Algorithm.Mac(key.Secret, [.. message, .. variables]);

        var writer = new DnsWireWriter();
        writer.Bytes(message);
        writer.Name(key.Name);
        writer.UInt16(DnsMessage.TypeTsig);
        writer.UInt16(DnsMessage.ClassAny);
        writer.UInt32(0);
        var rdata = new DnsWireWriter();
        rdata.Name(key.Algorithm.Name);
        rdata.UInt48(timeSigned);
        rdata.UInt16(Fudge);
        rdata.UInt16(mac.Length);
        rdata.Bytes(mac);
        rdata.UInt16(BinaryPrimitives.ReadUInt16BigEndian(message));
        rdata.UInt16(0);
        rdata.UInt16(0);
        writer.UInt16(rdata.Length);
        writer.Bytes(rdata.Written);
        var wire = writer.ToArray();
        var additional = BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(10));
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(10), (ushort)(additional + 1));
        return (wire, mac);
    }

    /// <summary>
    /// Checks the TSIG of <paramref name="response"/> against the request's MAC and the key
    /// (RFC 8945 5.3.2 and 5.4). Returns null when it verifies and its time is within the fudge,
    /// else what is wrong, for the error line.
    /// </summary>
    public static string? Verify(DnsMessage response, TsigRecord tsig, byte[] requestMac, TsigKey key, DateTimeOffset now)
    {
        if (!DnsName.AreEqual(tsig.KeyName, key.Name) || !DnsName.AreEqual(tsig.Algorithm, key.Algorithm.Name))
        {
            return $"the answer is signed with {tsig.Algorithm.TrimEnd('.')}:{tsig.KeyName.TrimEnd('.')}, not with {key}";
        }
        if (tsig.Mac.Length != key.Algorithm.MacLength)
        {
            // Truncated MACs (RFC 8945 5.2.2.1) are a policy choice; no server sends them unasked.
            return $"the answer's TSIG MAC has {tsig.Mac.Length} octets, not {key.Algorithm.MacLength}";
        }
        var unsigned = response.Wire.Span[..tsig.RecordOffset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(unsigned, (ushort)tsig.OriginalId);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(unsigned.AsSpan(10));
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(additional - 1));
        var prefix = new byte[2 + requestMac.Length];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)requestMac.Length);
        requestMac.CopyTo(prefix, 2);
        var variables = Variables(key.Name, key.Algorithm.Name, tsig.TimeSigned, tsig.Fudge, tsig.Error, tsig.OtherData);
        var expected = key.Algorithm.Mac(key.Secret, [.. prefix, .. unsigned, .. variables]);
        if (!CryptographicOperations.FixedTimeEquals(expected, tsig.Mac))
        {
            return "the answer's TSIG does not verify (it did not come from a holder of the key)";
        }
        var skew = Math.Abs(now.ToUnixTimeSeconds() - tsig.TimeSigned);
        return skew > tsig.Fudge
            ? $"the answer was signed {skew} s away from this host's clock (more than the {tsig.Fudge} s allowed)"
            : null;
    }

    /// <summary>The message's TSIG record, or null when it has none; it must be the last additional record (RFC 8945 5.1).</summary>
    public static TsigRecord? Find(DnsMessage message)
    {
        for (var i = 0; i < message.Additionals.Count; i++)
        {
            if (message.Additionals[i].Type == DnsMessage.TypeTsig)
            {
                return i == message.Additionals.Count - 1
                    ? TsigRecord.Read(message, message.Additionals[i])
                    : throw new DnsFormatException("a TSIG record that is not the last additional record");
            }
        }
        return null;
    }

    /// <summary>The TSIG variables (RFC 8945 4.3.3): names in canonical form, class ANY, TTL 0.</summary>
    private static byte[] Variables(string keyName, string algorithm, long timeSigned, int fudge, int error, byte[] otherData)
    {
        var writer = new DnsWireWriter();
        writer.Bytes(DnsName.CanonicalWire(keyName));
        writer.UInt16(DnsMessage.ClassAny);
        writer.UInt32(0);
        writer.Bytes(DnsName.CanonicalWire(algorithm));
        writer.UInt48(timeSigned);
        writer.UInt16(fudge);
        writer.UInt16(error);
        writer.UInt16(otherData.Length);
        writer.Bytes(otherData);
        return writer.ToArray();
    }
}
