using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// Delivers queued messages: those recovered at start, then each one as soon as it is committed,
/// at most <see cref="QueueOptions.DeliveryConcurrency"/> at a time. Per-recipient outcomes are
/// journaled (fsynced) before anything else happens; deferred recipients are retried with
/// exponential backoff until <see cref="QueueOptions.MaxQueueLifetime"/>, then fail; failures go
/// to the <see cref="IBounceSink"/>.
/// </summary>
/// <remarks>
/// The transport gets the very <see cref="EnvelopeRecipient"/> instances of
/// <c>message.Envelope.Recipients</c>, so a recipient's index (for deterministic Maildir file
/// names) is the position of the same reference in that list.
/// </remarks>
public sealed class QueueRunner
{
    private readonly Spool _spool;
    private readonly ITransport _transport;
    private readonly IBounceSink _bounces;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueRunner> _logger;
    private readonly Channel<QueueId> _ready = Channel.CreateUnbounded<QueueId>();
    private readonly Dictionary<QueueId, MessageSchedule> _messages = [];
    private readonly Lock _gate = new();

    public QueueRunner(Spool spool, ITransport transport, IBounceSink bounces, QueueOptions options, TimeProvider clock, ILogger<QueueRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _spool = spool;
        _transport = transport;
        _bounces = bounces;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Test seam: called after each attempt on a message is fully processed (journaled, rescheduled or removed).</summary>
    internal Action<QueueId, AttemptResult>? AttemptCompleted { get; set; }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then stops taking work, lets
    /// in-flight deliveries finish (they see the same token) and returns.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QueueId> recovered;
        try
        {
            recovered = await _spool.RecoverAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        foreach (var id in recovered)
        {
            Schedule(id);
        }
        var workers = new List<Task> { PumpCommittedAsync(cancellationToken) };
        for (var i = 0; i < Math.Max(1, _options.DeliveryConcurrency); i++)
        {
            workers.Add(WorkAsync(cancellationToken));
        }
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            lock (_gate)
            {
                foreach (var schedule in _messages.Values)
                {
                    schedule.RetryTimer?.Dispose();
                }
                _messages.Clear();
            }
        }
    }

    /// <summary>Queues <paramref name="id"/> for an attempt unless it is already known (waiting or in flight).</summary>
    private void Schedule(QueueId id)
    {
        lock (_gate)
        {
            if (!_messages.TryAdd(id, new MessageSchedule()))
            {
                return;
            }
        }
        _ready.Writer.TryWrite(id);
    }

    private async Task PumpCommittedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var id in _spool.Committed.ReadAllAsync(cancellationToken))
            {
                Schedule(id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(cancellationToken))
            {
                await ProcessAsync(id, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task ProcessAsync(QueueId id, CancellationToken cancellationToken)
    {
        AttemptResult result;
        try
        {
            result = await AttemptAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A broken message or a full disk must not stop the runner: log and retry later.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.ProcessingFailed(ex, id.Value, ex.Message);
            result = AttemptResult.Retry;
        }

        lock (_gate)
        {
            if (result == AttemptResult.Retry && _messages.TryGetValue(id, out var schedule))
            {
                schedule.Attempts++;
                var delay = Backoff(schedule.Attempts);
                schedule.RetryTimer?.Dispose();
                schedule.RetryTimer = _clock.CreateTimer(_ => _ready.Writer.TryWrite(id), null, delay, Timeout.InfiniteTimeSpan);
                _logger.RetryScheduled(id.Value, delay);
            }
            else if (_messages.Remove(id, out var done))
            {
                done.RetryTimer?.Dispose();
            }
        }
        AttemptCompleted?.Invoke(id, result);
    }

    private async Task<AttemptResult> AttemptAsync(QueueId id, CancellationToken cancellationToken)
    {
        if (_spool.Load(id) is not { } entry)
        {
            return AttemptResult.Dropped;
        }
        var recipients = entry.Message.Envelope.Recipients;
        var pending = entry.Indices(RecipientState.Pending).ToArray();
        if (pending.Length > 0)
        {
            var asked = pending.Select(i => recipients[i]).ToArray();
            var outcomes = await DeliverAsync(entry.Message, asked, cancellationToken);
            var now = _clock.GetUtcNow();
            var delay = MailLogFormat.Delay(now - entry.QueuedAt);
            var expired = now - entry.QueuedAt >= _options.MaxQueueLifetime;
            var journal = new List<JournalEntry>();
            for (var k = 0; k < pending.Length; k++)
            {
                var index = pending[k];
                var outcome = outcomes[k];
                Log(id, outcome, delay);
                if (outcome.Status == DeliveryStatus.Deferred)
                {
                    if (!expired)
                    {
                        continue;
                    }
                    outcome = Expire(outcome);
                    Log(id, outcome, delay);
                }
                journal.Add(SpoolEntry.ToJournal(index, outcome, now));
                if (outcome.Status == DeliveryStatus.Delivered)
                {
                    entry.States[index] = RecipientState.Delivered;
                }
                else
                {
                    entry.States[index] = RecipientState.Failed;
                    entry.Failures[index] = outcome;
                }
            }
            _spool.AppendJournal(id, journal);
        }

        var unbounced = entry.Indices(RecipientState.Failed).ToArray();
        if (unbounced.Length > 0)
        {
            try
            {
                await _bounces.ReportFailuresAsync(entry.Message, [.. unbounced.Select(i => entry.Failures[i]!)], cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The failures stay unreported and are handed over again on the next attempt.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.BounceFailed(ex, id.Value, ex.Message);
                return AttemptResult.Retry;
            }
            var at = _clock.GetUtcNow();
            _spool.AppendJournal(id, [.. unbounced.Select(i => new JournalEntry { Recipient = i, Kind = JournalKind.Bounced, At = at })]);
        }

        if (entry.Indices(RecipientState.Pending).Any())
        {
            return AttemptResult.Retry;
        }
        _spool.Remove(id);
        _logger.Done(id.Value);
        return AttemptResult.Done;
    }

    /// <summary>The transport's outcomes, or all deferred when it threw or answered out of step.</summary>
    private async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, EnvelopeRecipient[] asked, CancellationToken cancellationToken)
    {
        IReadOnlyList<RecipientOutcome>? outcomes;
        try
        {
            outcomes = await _transport.DeliverAsync(message, asked, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the transport throws, its recipients are deferred, never lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.TransportError(ex, message.Id.Value, ex.Message);
            return Deferral(asked, "Delivery attempt failed: " + MailLogFormat.OneLine(ex.Message));
        }
        if (outcomes is null || outcomes.Count != asked.Length || !outcomes.Select(o => o?.Recipient).SequenceEqual(asked))
        {
            _logger.TransportMismatch(message.Id.Value, asked.Length);
            return Deferral(asked, "Delivery attempt returned no usable result");
        }
        return outcomes;
    }

    private static RecipientOutcome[] Deferral(EnvelopeRecipient[] asked, string text)
    {
        var reply = new SmtpReply(451, new EnhancedStatusCode(4, 3, 0), text);
        return [.. asked.Select(r => new RecipientOutcome(r, DeliveryStatus.Deferred, reply, "queue", "none"))];
    }

    private RecipientOutcome Expire(RecipientOutcome deferred) =>
        deferred with
        {
            Status = DeliveryStatus.Failed,
            Reply = new SmtpReply(
                554,
                new EnhancedStatusCode(5, 4, 7),
                $"Delivery time expired after {_options.MaxQueueLifetime}; last error: {MailLogFormat.OneLine(deferred.Reply.ToString())}"),
        };

    /// <summary>Wait before attempt <paramref name="attempts"/> + 1: the minimum, doubled per attempt, capped.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var delay = _options.MinRetryInterval;
        for (var i = 1; i < attempts && delay < _options.MaxRetryInterval; i++)
        {
            delay += delay;
        }
        return delay < _options.MaxRetryInterval ? delay : _options.MaxRetryInterval;
    }

    private void Log(QueueId id, RecipientOutcome outcome, string delay)
    {
        var recipient = outcome.Recipient.Address.ToString();
        var dsn = MailLogFormat.Dsn(outcome.Reply);
        var reply = outcome.Reply.ToString();
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                _logger.Sent(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            case DeliveryStatus.Deferred:
                _logger.Deferred(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            default:
                _logger.Failed(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
        }
    }
}
