using System.Globalization;
using System.Text;

namespace Postern.Fuzz.Seeds;

/// <summary>
/// What the client sends in a dialog script (tests/Postern.Tests/Dialogs/*.dialog): <c>c -> TEXT</c>
/// is TEXT and CRLF, <c>c => TEXT</c> is TEXT as it is, with the scripts' escapes
/// (<c>\r \n \t \0 \\ \xHH</c>, see the folder's README).
/// </summary>
internal static class DialogClientBytes
{
    public static byte[] Read(string path)
    {
        var bytes = new List<byte>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("c -> ", StringComparison.Ordinal))
            {
                bytes.AddRange(Unescape(line[5..]));
                bytes.AddRange("\r\n"u8.ToArray());
            }
            else if (line.StartsWith("c => ", StringComparison.Ordinal))
            {
                bytes.AddRange(Unescape(line[5..]));
            }
        }
        return [.. bytes];
    }

    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
                continue;
            }
            i++;
            switch (text[i])
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case 'x' when i + 2 < text.Length:
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: bytes.Add((byte)text[i]); break;
            }
        }
        return [.. bytes];
    }
}
