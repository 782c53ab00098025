namespace Postern.Core.Queueing;

/// <summary>The MAIL BODY= parameter (RFC 6152, RFC 3030).</summary>
public enum BodyType
{
    SevenBit,
    EightBitMime,
    BinaryMime,
}
