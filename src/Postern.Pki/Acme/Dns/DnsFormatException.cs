namespace Postern.Pki.Acme.Dns;

/// <summary>A DNS message that does not parse: truncated, a pointer loop, a name too long.</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException()
    {
    }

    public DnsFormatException(string message)
        : base(message)
    {
    }

    public DnsFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
