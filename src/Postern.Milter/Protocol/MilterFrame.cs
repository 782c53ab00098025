namespace Postern.Milter.Protocol;

/// <summary>One protocol packet: a command or reply code and its data (the 4-byte length is the frame's, not stored).</summary>
internal readonly record struct MilterFrame(byte Code, ReadOnlyMemory<byte> Data);
