using System.Buffers.Binary;
using System.Text;

namespace Postern.Fuzz.Seeds;

/// <summary>What milters send: a negotiation with macro lists, each verdict, every modification action, and the end-of-message replies of real filters.</summary>
internal static class MilterSeeds
{
    public static IEnumerable<byte[]> Replies()
    {
        yield return Negotiation(6, 0x1FF, 0x1FF7FF, (0, "j {client_addr}"), (2, "i {auth_authen}"), (5, "{msg_id}"));
        yield return Negotiation(2, 0x01, 0x00);
        yield return [.. Frame('c'), .. Frame('a'), .. Frame('r'), .. Frame('t'), .. Frame('d'), .. Frame('s'), .. Frame('p'), .. Frame('4'), .. Frame('f')];
        yield return Frame('y', Str("554 5.7.1 Spam detected"));
        yield return Frame('y', Str("451-4.7.1 Greylisted\r\n451 4.7.1 Try again in 5 minutes (100%%)"));
        yield return Frame('q', Str("held by the filter"));
        // OpenDKIM signing: a signature inserted at the top.
        yield return [.. Frame('i', [.. UInt32(0), .. Str("DKIM-Signature"), .. Str("v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;\n\ts=s2026; h=From:To:Subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AbCd")]), .. Frame('c')];
        // OpenDMARC and SpamAssassin style results.
        yield return [.. Frame('h', [.. Str("Authentication-Results"), .. Str("mx.example.org; dmarc=pass (p=none dis=none) header.from=example.org")]), .. Frame('m', [.. UInt32(1), .. Str("Subject"), .. Str("[SPAM] hello")]), .. Frame('m', [.. UInt32(1), .. Str("X-Old"), .. Str("")]), .. Frame('c')];
        yield return [.. Frame('b', Encoding.UTF8.GetBytes("replaced\nbody\r\n")), .. Frame('b', Encoding.UTF8.GetBytes("more\r\n")), .. Frame('c')];
        yield return [.. Frame('+', Str("<new@example.org>")), .. Frame('2', [.. Str("<dsn@example.org>"), .. Str("NOTIFY=NEVER")]), .. Frame('-', Str("<b@example.org>")), .. Frame('e', Str("<>")), .. Frame('e', [.. Str("<x@example.org>"), .. Str("RET=HDRS")]), .. Frame('c')];
        yield return Frame('l', [.. UInt32(2), .. Str("{mail_addr}")]);
    }

    private static byte[] Negotiation(uint version, uint actions, uint protocol, params (uint Stage, string List)[] lists) =>
        Frame('O', [.. UInt32(version), .. UInt32(actions), .. UInt32(protocol), .. lists.SelectMany(l => (byte[])[.. UInt32(l.Stage), .. Str(l.List)])]);

    private static byte[] Frame(char code, byte[]? data = null)
    {
        data ??= [];
        var frame = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(data.Length + 1));
        frame[4] = (byte)code;
        data.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Str(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
