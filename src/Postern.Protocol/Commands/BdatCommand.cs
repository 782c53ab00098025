namespace Postern.Protocol.Commands;

/// <summary>A parsed <c>BDAT size [LAST]</c> argument (RFC 3030).</summary>
public sealed record BdatCommand(long Size, bool Last);
