namespace Postern.Queue.Storage;

/// <summary>A mailbox on disk: local part and domain kept apart so reading back needs no parser.</summary>
internal sealed record SpoolMailbox(string LocalPart, string Domain);
