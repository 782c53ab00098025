using System.Text;

namespace Postern.Core.Stages;

/// <summary>
/// One header field of a message. <see cref="Raw"/> holds the field exactly as received (folded
/// lines and final CRLF), so a field no handler touched is written back byte for byte; a field a
/// handler added or changed has none and is written as <c>Name: Value</c> in UTF-8.
/// </summary>
/// <param name="Name">The field name as written (<c>Subject</c>).</param>
/// <param name="Value">The text after the colon and its leading white space, folding kept, without the final CRLF.</param>
public sealed record HeaderField(string Name, string Value)
{
    /// <summary>The field as received, CRLF included; empty for a field written by a handler.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>The bytes that go into the spool file.</summary>
    public byte[] ToBytes() => Raw.IsEmpty ? Encoding.UTF8.GetBytes(Name + ": " + Value + "\r\n") : Raw.ToArray();

    /// <summary>Header names compare case-insensitively (RFC 5322 section 1.2.2).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
