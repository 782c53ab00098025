using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Queue;

/// <summary>One recipient of a queued message with its state and the reply recorded with it.</summary>
/// <param name="Recipient">The envelope recipient (address, NOTIFY, ORCPT).</param>
/// <param name="State">Its state from the journal.</param>
/// <param name="LastReply">The reply recorded when it was delivered or failed; the latest deferral's reply while deferred; null while pending.</param>
/// <param name="At">When that reply was recorded.</param>
public sealed record QueueRecipientStatus(EnvelopeRecipient Recipient, QueueRecipientState State, SmtpReply? LastReply, DateTimeOffset? At);
