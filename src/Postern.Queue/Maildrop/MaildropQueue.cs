using Postern.Core.Queueing;

namespace Postern.Queue.Maildrop;

/// <summary>
/// The maildrop as a queue: what a session accepts goes to the daemon as a maildrop file, which
/// the daemon passes through the local submissions' stage handlers on pickup. For
/// <c>sendmail -bs</c> when <c>[server] local_milters</c> is set.
/// </summary>
public sealed class MaildropQueue(string directory, TimeProvider clock) : IMessageQueue
{
    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken) =>
        Maildrop.BeginMessageAsync(directory, envelope, clock, cancellationToken);
}
