namespace Postern.Tools.Sendmail;

/// <summary>
/// One piece of input: a whole line without its line end (<see cref="Complete"/>), or a chunk of
/// a line longer than the reader's buffer (more follows), or the unterminated last line.
/// </summary>
public readonly record struct InputLine(ReadOnlyMemory<byte> Bytes, bool Complete, bool StartsLine);
