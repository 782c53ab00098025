namespace Postern.Server.Connections;

internal enum LineStatus
{
    Line,
    TooLong,
    EndOfStream,
}
