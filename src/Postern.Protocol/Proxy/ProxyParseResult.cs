namespace Postern.Protocol.Proxy;

/// <summary>Where parsing the bytes read so far stands.</summary>
public enum ProxyParseStatus
{
    /// <summary>A whole header: <see cref="ProxyParseResult.Header"/> and its <see cref="ProxyParseResult.Length"/>.</summary>
    Complete,

    /// <summary>No verdict yet: <see cref="ProxyParseResult.Length"/> is how many bytes in total to have before asking again.</summary>
    NeedMore,

    /// <summary>Not a header Postern accepts: <see cref="ProxyParseResult.Error"/> says why, for the log.</summary>
    Invalid,
}

/// <summary>The outcome of <see cref="ProxyHeaderParser.Parse"/>.</summary>
public readonly record struct ProxyParseResult(ProxyParseStatus Status, ProxyHeader? Header, int Length, string? Error)
{
    public static ProxyParseResult Complete(ProxyHeader header, int length) => new(ProxyParseStatus.Complete, header, length, null);

    public static ProxyParseResult NeedMore(int total) => new(ProxyParseStatus.NeedMore, null, total, null);

    public static ProxyParseResult Invalid(string error) => new(ProxyParseStatus.Invalid, null, 0, error);
}
