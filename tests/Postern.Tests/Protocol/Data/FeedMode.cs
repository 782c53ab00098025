namespace Postern.Tests.Protocol.Data;

/// <summary>How a test hands its input bytes to the reader under test.</summary>
public enum FeedMode
{
    /// <summary>One contiguous buffer.</summary>
    Whole,

    /// <summary>Through a Pipe, one byte per flush.</summary>
    ByteByByte,

    /// <summary>Through a Pipe, in seeded random pieces of 1-23 bytes.</summary>
    RandomSplits,

    /// <summary>One multi-segment ReadOnlySequence with seeded random segment sizes.</summary>
    MultiSegment,
}
