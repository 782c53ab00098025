namespace Postern.Protocol.Data;

/// <summary>
/// What reading a message body (DATA, or one BDAT chunk) found. The input was consumed through
/// the end marker (or the whole chunk) whatever the flags say, so the session stays in step.
/// </summary>
/// <param name="BytesWritten">Bytes handed to the destination successfully.</param>
/// <param name="TooLarge">The content went over the size limit; writing stopped there.</param>
/// <param name="BareLineEnds">The LFs without CR (written as CR LF) and CRs without LF seen; the caller decides whether they refuse the message.</param>
/// <param name="EndOfStream">The input ended before the end marker (or the chunk's last byte).</param>
/// <param name="WriteError">The destination failed with this error; writing stopped there.</param>
public sealed record DataReadResult(long BytesWritten, bool TooLarge, BareLineEnds BareLineEnds, bool EndOfStream, Exception? WriteError);
