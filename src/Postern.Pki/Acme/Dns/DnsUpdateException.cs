namespace Postern.Pki.Acme.Dns;

/// <summary>An RFC 2136 update that was not applied (refused, unverifiable answer, no answer in time).</summary>
public sealed class DnsUpdateException : Exception
{
    public DnsUpdateException()
    {
    }

    public DnsUpdateException(string message)
        : base(message)
    {
    }

    public DnsUpdateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
