namespace Postern.Core.Stages;

/// <summary>
/// Runs the stage handlers of local submissions (<c>[server] local_milters</c>, DKIM signing) over
/// one message from the sendmail command or the maildrop, as the SMTP side runs a listener's
/// handlers over a session, and queues it when they accept. The maildrop's pickup holds it; the
/// server's stage pipeline stands behind it.
/// </summary>
public interface ILocalSubmissionFilter
{
    /// <summary>Passes <paramref name="submission"/> through the handlers and, unless they refuse or discard it, writes it into the queue and commits it.</summary>
    /// <exception cref="IOException">The queue could not take the message now.</exception>
    ValueTask<LocalSubmissionResult> SubmitAsync(LocalSubmissionRequest submission, CancellationToken cancellationToken);
}
