using System.Buffers.Binary;
using System.Text;
using Postern.Milter.Protocol;

namespace Postern.Tests.Milter;

/// <summary>The milter's side of the wire, for tests: replies encoded as libmilter sends them, commands' strings decoded.</summary>
internal static class MilterWire
{
    public static byte[] Frame(char code, params byte[][] parts)
    {
        var length = 1 + parts.Sum(p => p.Length);
        var frame = new byte[4 + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)length);
        frame[4] = (byte)code;
        var at = 5;
        foreach (var part in parts)
        {
            part.CopyTo(frame, at);
            at += part.Length;
        }
        return frame;
    }

    public static byte[] Str(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Reply(char code, params string[] strings) => Frame(code, [.. strings.Select(Str)]);

    public static byte[] Indexed(char code, uint index, params string[] strings) => Frame(code, [UInt32(index), .. strings.Select(Str)]);

    public static byte[] Negotiate(uint version, MilterActions actions, MilterProtocolFlags protocol, params (uint Stage, string List)[] macroLists) =>
        Frame('O', [UInt32(version), UInt32((uint)actions), UInt32((uint)protocol), .. macroLists.SelectMany(l => new[] { UInt32(l.Stage), Str(l.List) })]);

    /// <summary>The NUL-terminated strings of a command's data.</summary>
    public static List<string> Strings(ReadOnlyMemory<byte> data)
    {
        var strings = new List<string>();
        var span = data.Span;
        while (!span.IsEmpty)
        {
            var nul = span.IndexOf((byte)0);
            Assert.True(nul >= 0, "a string without its NUL");
            strings.Add(Encoding.UTF8.GetString(span[..nul]));
            span = span[(nul + 1)..];
        }
        return strings;
    }

    /// <summary>The frames in <paramref name="bytes"/>, which must hold whole frames only.</summary>
    public static List<MilterFrame> Frames(byte[] bytes)
    {
        var frames = new List<MilterFrame>();
        ReadOnlyMemory<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            Assert.True(MilterFrameReader.TryParse(rest, out var frame, out var consumed));
            frames.Add(frame);
            rest = rest[consumed..];
        }
        return frames;
    }
}
