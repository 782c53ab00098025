using Postern.Protocol.Proxy;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The PROXY v1/v2 header parser a proxy listener runs on a connection's first bytes. It never
/// throws; a complete header is no longer than the input and than 4096 bytes, and bytes after it
/// change nothing; more is asked for only beyond what the input holds and never past 4096; and the
/// reader over a stream gives the parser's verdict while leaving every byte after the header unread.
/// </summary>
internal static class ProxyTarget
{
    public static void Run(byte[] input)
    {
        var result = ProxyHeaderParser.Parse(input);
        switch (result.Status)
        {
            case ProxyParseStatus.Complete:
                FuzzInvariantException.Require(result.Length <= input.Length && result.Length <= ProxyHeaderParser.MaxLength, "a header lies within the input and the cap");
                FuzzInvariantException.Require(result.Header!.CarriesAddresses == (result.Header.Source is not null && result.Header.Command == ProxyCommand.Proxy), "addresses only from a PROXY command");
                FuzzInvariantException.Require((result.Header.Source is null) == (result.Header.Destination is null), "both addresses or neither");
                var trailing = new byte[input.Length + 9];
                input.CopyTo(trailing, 0);
                FuzzInvariantException.Require(ProxyHeaderParser.Parse(trailing).Length == result.Length, "bytes after the header change nothing");
                FuzzInvariantException.Require(ProxyHeaderParser.Parse(input.AsSpan(0, result.Length)).Status == ProxyParseStatus.Complete, "the header alone is complete");
                break;
            case ProxyParseStatus.NeedMore:
                FuzzInvariantException.Require(result.Length > input.Length && result.Length <= ProxyHeaderParser.MaxLength, "asks for more than it has, within the cap");
                break;
            default:
                FuzzInvariantException.Require(!string.IsNullOrEmpty(result.Error), "a refusal says why");
                break;
        }

        using var stream = new MemoryStream(input);
        var read = ProxyHeaderReader.ReadAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        if (result.Status == ProxyParseStatus.Complete)
        {
            FuzzInvariantException.Require(read.Status == ProxyParseStatus.Complete && read.Length == result.Length, "the reader finds the same header");
            FuzzInvariantException.Require(stream.Position == result.Length, "the reader leaves what follows the header unread");
        }
        else
        {
            FuzzInvariantException.Require(read.Status == ProxyParseStatus.Invalid, "the reader refuses what is not a whole header");
        }
    }
}
