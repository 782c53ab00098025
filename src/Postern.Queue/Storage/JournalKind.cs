namespace Postern.Queue.Storage;

internal enum JournalKind
{
    Delivered,
    Failed,
    Bounced,
}
