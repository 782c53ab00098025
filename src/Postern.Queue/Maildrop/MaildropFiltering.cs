using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Core.Stages;
using Postern.Queue.Dsn;
using Postern.Queue.Storage;

namespace Postern.Queue.Maildrop;

/// <summary>
/// The maildrop's import when local submissions pass stage handlers (<c>[server] local_milters</c>,
/// DKIM signing): the file goes through <see cref="ILocalSubmissionFilter"/> instead of straight
/// into the spool. A refusal bounces the submission to its sender, as Postfix bounces mail its
/// <c>non_smtpd_milters</c> reject; a temporary refusal leaves the file for the next pass until it
/// has waited longer than the queue's lifetime, when it bounces too; a discard drops it. The file
/// is deleted only once the message or its bounce is committed, so nothing is lost.
/// </summary>
public sealed partial class MaildropFiltering(
    ILocalSubmissionFilter filter, IBounceSink bounces, TimeSpan maxDeferral, TimeProvider clock, ILogger<MaildropFiltering> logger)
{
    /// <summary>What one pass did with a file.</summary>
    internal enum Result
    {
        Queued,
        Finished,
        Kept,
    }

    internal async Task<Result> ImportAsync(
        string name, string path, FileStream file, SpoolHeader header, Envelope envelope, uint ownerId, IMaildropPolicy policy, CancellationToken cancellationToken)
    {
        var user = policy.UserName(ownerId);
        LocalSubmissionResult result;
        await using (var message = new BoundedReadStream(file, header.BodyOffset, header.BodyLength, leaveOpen: true) { RequireFullLength = true })
        {
            var request = new LocalSubmissionRequest(envelope, user, message, (edited, id) => policy.TraceHeader(ownerId, id, edited));
            result = await filter.SubmitAsync(request, cancellationToken);
        }
        var submitted = Maildrop.SubmittedId(name)?.Value ?? "unknown";
        switch (result.Outcome)
        {
            case LocalSubmissionOutcome.Queued:
                File.Delete(path);
                LogQueued(result.Id!.Value.Value, submitted, name, ownerId, user, (object?)envelope.Sender ?? "", envelope.Recipients.Count, result.QuarantineReason is { } hold ? ", held: " + hold : "");
                return Result.Queued;
            case LocalSubmissionOutcome.Discarded:
                File.Delete(path);
                LogDiscarded(name, submitted, ownerId, result.Stage ?? "", result.Reason);
                return Result.Finished;
            case LocalSubmissionOutcome.Deferred when clock.GetUtcNow() - header.QueuedAt <= maxDeferral:
                LogDeferred(name, submitted, ownerId, result.Stage ?? "", OneLine(result.Reply));
                return Result.Kept;
            default:
                var reply = result.Outcome == LocalSubmissionOutcome.Deferred
                    ? QueueReplies.LifetimeExpired(maxDeferral, result.Reply!)
                    : result.Reply!;
                await BounceAsync(name, file, header, envelope, reply, cancellationToken);
                File.Delete(path);
                LogRefused(name, submitted, ownerId, result.Stage ?? "", OneLine(reply), result.Reason);
                return Result.Finished;
        }
    }

    /// <summary>A bounce to the sender (to the postmaster for &lt;&gt;) for every recipient, with the handler's reply and the submission attached.</summary>
    private async Task BounceAsync(string name, FileStream file, SpoolHeader header, Envelope envelope, SmtpReply reply, CancellationToken cancellationToken)
    {
        var id = Maildrop.SubmittedId(name) ?? QueueId.New(clock);
        var message = new QueuedMessage(id, envelope, header.BodyLength, () => new BoundedReadStream(file, header.BodyOffset, header.BodyLength, leaveOpen: true));
        var failures = envelope.Recipients.Select(r => new RecipientOutcome(r, DeliveryStatus.Failed, reply, "milter", "none")).ToList();
        await bounces.ReportAsync(message, failures, DsnAction.Failed, null, cancellationToken);
    }

    private static string OneLine(SmtpReply? reply) => reply is null ? "" : MailLogFormat.OneLine(reply.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "{Id}: from maildrop, submitted as {SubmittedId}, file {Name}, uid={Uid}, user={User}, from=<{Sender}>, nrcpts={Recipients}, filtered{Hold}")]
    private partial void LogQueued(string id, string submittedId, string name, uint uid, string user, object sender, int recipients, string hold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop {Name} (submitted as {SubmittedId}, uid {Uid}) refused at {Stage}: {Reply} ({Reason}); bounced to the sender")]
    private partial void LogRefused(string name, string submittedId, uint uid, string stage, string reply, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop {Name} (submitted as {SubmittedId}, uid {Uid}) deferred at {Stage}: {Reply}; it stays for the next pass")]
    private partial void LogDeferred(string name, string submittedId, uint uid, string stage, string reply);

    [LoggerMessage(Level = LogLevel.Information, Message = "maildrop {Name} (submitted as {SubmittedId}, uid {Uid}) discarded at {Stage}: {Reason}")]
    private partial void LogDiscarded(string name, string submittedId, uint uid, string stage, string reason);
}
