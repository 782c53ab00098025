using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

internal sealed record SpoolRecipient(SpoolMailbox Address, DsnNotify Notify, string? OriginalRecipient);
