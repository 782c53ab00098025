namespace Postern.Protocol.Data;

/// <summary>The bare line endings found in a message: LFs without CR (taken as line ends) and CRs without LF.</summary>
/// <param name="LineFeeds">LFs without a CR before them; the content has them as CR LF.</param>
/// <param name="CarriageReturns">CRs without an LF after them; the content keeps them.</param>
public readonly record struct BareLineEnds(long LineFeeds, long CarriageReturns)
{
    public static BareLineEnds None => default;

    public bool Any => LineFeeds > 0 || CarriageReturns > 0;
}
