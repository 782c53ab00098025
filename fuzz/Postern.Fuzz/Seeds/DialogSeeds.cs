using System.Text;

namespace Postern.Fuzz.Seeds;

/// <summary>Seeds cut from the dialog scripts' client bytes.</summary>
internal static class DialogSeeds
{
    private static readonly string[] RemoteReplies =
    [
        "550-5.1.1 <bob@example.net>: Recipient address rejected:\r\n550 5.1.1 User unknown in virtual mailbox table\r\n",
        "451 4.3.0 Temporary lookup failure\r\n",
        "250 2.0.0 Ok: queued as 4Xb9Kd0yQz\r\n",
    ];

    /// <summary>The distinct arguments of MAIL and RCPT lines.</summary>
    public static IEnumerable<byte[]> PathArguments(IEnumerable<byte[]> streams)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in streams)
        {
            foreach (var line in Encoding.UTF8.GetString(stream).Split("\r\n"))
            {
                if ((line.StartsWith("MAIL ", StringComparison.OrdinalIgnoreCase) || line.StartsWith("RCPT ", StringComparison.OrdinalIgnoreCase))
                    && seen.Add(line[5..]))
                {
                    yield return Encoding.UTF8.GetBytes(line[5..]);
                }
            }
        }
    }

    /// <summary>What follows the first <paramref name="marker"/> (any case), or null.</summary>
    public static byte[]? After(byte[] stream, string marker) =>
        IndexOf(stream, marker) is var at and >= 0 ? stream[(at + marker.Length)..] : null;

    /// <summary>From the first <paramref name="marker"/> (any case) on, or null.</summary>
    public static byte[]? From(byte[] stream, string marker) =>
        IndexOf(stream, marker) is var at and >= 0 ? stream[at..] : null;

    /// <summary>A remote server's reply followed by each message a dialog sends with DATA.</summary>
    public static IEnumerable<byte[]> Bounces(IEnumerable<byte[]> streams)
    {
        var index = 0;
        foreach (var stream in streams)
        {
            if (After(stream, "DATA\r\n") is not { } data)
            {
                continue;
            }
            var end = data.AsSpan().IndexOf("\r\n.\r\n"u8);
            var message = end < 0 ? data : data[..(end + 2)];
            yield return [.. Encoding.ASCII.GetBytes(RemoteReplies[index++ % RemoteReplies.Length]), .. message];
        }
    }

    private static int IndexOf(byte[] stream, string marker)
    {
        var text = Encoding.Latin1.GetString(stream);
        return text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
    }
}
