namespace Postern.Server.Connections;

/// <summary>One command line as read, without its line end; Bytes is empty unless Status is Line.</summary>
internal readonly record struct CommandLine(LineStatus Status, byte[] Bytes);
