using System.Globalization;
using Microsoft.Extensions.Logging;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Maps;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Delivery.Lmtp;

namespace Postern.Delivery.Local;

/// <summary>
/// Delivers to recipients in local domains: expands aliases, then writes each local user's
/// Maildir (or hands the users to <see cref="Mailboxes"/>, an LMTP server), runs pipe commands
/// and appends to files (when enabled). Alias targets in other domains fail for now (no
/// forwarding yet). One outcome per recipient: Deferred if any target deferred
/// (Maildir redelivery is idempotent; pipes and files may see the message again), else Failed if
/// any target failed, else Delivered.
/// </summary>
public sealed partial class LocalTransport : ITransport
{
    public const string MailerName = "local";

    /// <summary>sysexits.h EX_TEMPFAIL: the command asks to try again later.</summary>
    private const int ExitTempFail = 75;

    private readonly Func<LocalRecipientDirectory> _directory;
    private readonly string _hostName;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LocalTransport> _logger;

    /// <param name="directory">The current directory; called once per message, so a reload takes effect on the next one.</param>
    /// <param name="hostName">This host's name, for Maildir file names.</param>
    /// <param name="timeProvider">The clock for pipe time limits.</param>
    /// <param name="logger">Where I/O errors behind deferrals are logged.</param>
    public LocalTransport(Func<LocalRecipientDirectory> directory, string hostName, TimeProvider timeProvider, ILogger<LocalTransport> logger)
    {
        _directory = directory;
        _hostName = hostName;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary><c>local.aliases = "pgsql:TABLE"</c>: the rows each message's recipients can reach are read before expanding; null: the directory's own aliases file.</summary>
    public AliasTable? Aliases { get; init; }

    /// <summary>
    /// <c>local.transport</c>: local users' mailboxes (after alias expansion) are delivered through it,
    /// all of a message's in one transaction, instead of written to Maildirs; null: Maildirs.
    /// </summary>
    public IMailboxTransport? Mailboxes { get; init; }

    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var directory = _directory();
        if (Aliases is { } table)
        {
            try
            {
                directory = await table.ResolveAsync(directory, recipients.Select(r => r.Address.LocalPart), cancellationToken);
            }
            catch (LookupTableUnavailableException e)
            {
                // Never expanded on a guess: every recipient waits for the table.
                LogAliasesUnavailable(_logger, message.Id.Value, e.Message);
                return [.. recipients.Select(r => Outcome(r.Recipient, DeliveryStatus.Deferred, DeliveryReplies.LookupDeferred(e.Table), r.Address.LocalPart))];
            }
        }
        var context = new Context(message, directory);
        var expanded = recipients.Select(r => (r.Recipient, context.Directory.Expand(r.Address))).ToList();
        var mailboxResults = Mailboxes is { } mailboxes
            ? await MailboxBatch.DeliverAsync(mailboxes, message, context.Directory, expanded, cancellationToken)
            : null;
        var outcomes = new List<RecipientOutcome>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            // The envelope position names the Maildir file, so a redelivery replaces it.
            var key = recipients[i].Index.ToString(CultureInfo.InvariantCulture);
            var delivered = mailboxResults is null ? null : new Func<DeliveryTarget, TargetResult?>(t => mailboxResults.GetValueOrDefault((i, t)));
            outcomes.Add(await DeliverRecipientAsync(context, recipients[i], expanded[i].Item2, delivered, key, cancellationToken));
        }
        return outcomes;
    }

    // delivered: the targets the mailbox transport already delivered (null without one).
    private async ValueTask<RecipientOutcome> DeliverRecipientAsync(
        Context context,
        DeliveryRecipient delivery,
        AliasExpansion expansion,
        Func<DeliveryTarget, TargetResult?>? delivered,
        string key,
        CancellationToken cancellationToken)
    {
        var recipient = delivery.Recipient;
        switch (expansion.Status)
        {
            case ExpansionStatus.Unknown:
                return Outcome(recipient, DeliveryStatus.Failed, DeliveryReplies.UserUnknown, recipient.Address.LocalPart);
            case ExpansionStatus.TemporaryFailure:
                return Outcome(recipient, DeliveryStatus.Deferred, DeliveryReplies.ExpansionDeferred(expansion.Problem), recipient.Address.LocalPart);
            case ExpansionStatus.Failed:
                return Outcome(recipient, DeliveryStatus.Failed, DeliveryReplies.ExpansionFailed(expansion.Problem), recipient.Address.LocalPart);
        }
        var results = new List<TargetResult>(expansion.Targets.Count);
        foreach (var target in expansion.Targets)
        {
            results.Add(delivered?.Invoke(target) ?? await DeliverTargetAsync(context, delivery, target, expansion.Aliased, key, cancellationToken));
        }
        return Combine(recipient, results, expansion.Aliased);
    }

    private async ValueTask<TargetResult> DeliverTargetAsync(
        Context context,
        DeliveryRecipient delivery,
        DeliveryTarget target,
        bool aliased,
        string key,
        CancellationToken cancellationToken)
    {
        var recipient = delivery.Recipient;
        try
        {
            return target.Kind switch
            {
                DeliveryTargetKind.Mailbox => await DeliverToMaildirAsync(context, recipient, target, aliased ? key + "_" + target.Value : key, cancellationToken),
                DeliveryTargetKind.Pipe => await DeliverToPipeAsync(context, recipient, target, cancellationToken),
                DeliveryTargetKind.File => await DeliverToFileAsync(context, recipient, target, cancellationToken),
                _ => new TargetResult(target, DeliveryStatus.Failed, DeliveryReplies.ForwardingDisabled),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The reason is the system's one line (errno text and path); a full disk must not put a
            // stack trace in the mail log at every retry.
            LogDeferred(_logger, context.Message.Id.Value, target.ToString(), ex.Message);
            return new TargetResult(target, DeliveryStatus.Deferred, DeliveryReplies.IoError);
        }
    }

    private async ValueTask<TargetResult> DeliverToMaildirAsync(Context context, EnvelopeRecipient recipient, DeliveryTarget target, string key, CancellationToken cancellationToken)
    {
        if (!context.Directory.IsUser(target.Value))
        {
            return new TargetResult(target, DeliveryStatus.Failed, DeliveryReplies.UserUnknown);
        }
        var writer = new MaildirWriter(context.Directory.Options.MailboxRoot, _hostName);
        var headers = DeliveryHeaders.Build(context.Sender, target.Value + "@" + Domain(recipient), "\r\n");
        await using var body = context.Message.OpenBody();
        await writer.DeliverAsync(target.Value, context.Message.Id, key, context.Message.Envelope.ReceivedAt, headers, body, cancellationToken);
        return new TargetResult(target, DeliveryStatus.Delivered, DeliveryReplies.DeliveredToMaildir);
    }

    private async ValueTask<TargetResult> DeliverToPipeAsync(Context context, EnvelopeRecipient recipient, DeliveryTarget target, CancellationToken cancellationToken)
    {
        var options = context.Directory.Options;
        if (!options.AllowPipeAliases)
        {
            return new TargetResult(target, DeliveryStatus.Failed, DeliveryReplies.PipesDisabled);
        }
        var runner = new PipeRunner(options.PipeTimeout, _timeProvider);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SENDER"] = context.Sender?.ToString() ?? string.Empty,
            ["RECIPIENT"] = RecipientAddress(recipient),
        };
        var headers = DeliveryHeaders.Build(context.Sender, RecipientAddress(recipient), "\r\n");
        await using var body = context.Message.OpenBody();
        var result = await runner.RunAsync(target.Value, environment, headers, body, cancellationToken);
        if (result.TimedOut)
        {
            return new TargetResult(target, DeliveryStatus.Deferred, DeliveryReplies.CommandTimedOut);
        }
        var output = FirstLine(result.Output);
        return result.ExitCode switch
        {
            0 => new TargetResult(target, DeliveryStatus.Delivered, DeliveryReplies.DeliveredToCommand),
            ExitTempFail => new TargetResult(target, DeliveryStatus.Deferred, DeliveryReplies.CommandDeferred(output)),
            var code => new TargetResult(target, DeliveryStatus.Failed, DeliveryReplies.CommandFailed(code, output)),
        };
    }

    private static async ValueTask<TargetResult> DeliverToFileAsync(Context context, EnvelopeRecipient recipient, DeliveryTarget target, CancellationToken cancellationToken)
    {
        if (!context.Directory.Options.AllowFileAliases)
        {
            return new TargetResult(target, DeliveryStatus.Failed, DeliveryReplies.FilesDisabled);
        }
        var headers = DeliveryHeaders.Build(context.Sender, RecipientAddress(recipient), "\n");
        await using var body = context.Message.OpenBody();
        await MboxWriter.AppendAsync(target.Value, context.Sender, context.Message.Envelope.ReceivedAt, headers, body, cancellationToken);
        return new TargetResult(target, DeliveryStatus.Delivered, DeliveryReplies.DeliveredToFile);
    }

    private static RecipientOutcome Combine(EnvelopeRecipient recipient, List<TargetResult> results, bool aliased)
    {
        var relay = string.Join(",", results.Select(r => r.Target.ToString()));
        var problem = results.FirstOrDefault(r => r.Status == DeliveryStatus.Deferred)
            ?? results.FirstOrDefault(r => r.Status == DeliveryStatus.Failed);
        if (problem is not null)
        {
            var reply = aliased ? DeliveryReplies.ForAliasTarget(problem.Target.ToString(), problem.Reply) : problem.Reply;
            return Outcome(recipient, problem.Status, reply, relay);
        }
        var delivered = results.Count == 1
            ? results[0].Reply
            : DeliveryReplies.DeliveredToAliasTargets(results.Count);
        return Outcome(recipient, DeliveryStatus.Delivered, delivered, relay);
    }

    private static RecipientOutcome Outcome(EnvelopeRecipient recipient, DeliveryStatus status, SmtpReply reply, string relay) =>
        new(recipient, status, reply, MailerName, relay);

    private static string Domain(EnvelopeRecipient recipient) => recipient.Address.Domain.TrimEnd('.').ToLowerInvariant();

    private static string RecipientAddress(EnvelopeRecipient recipient) =>
        LocalPartSyntax.Encode(recipient.Address.LocalPart.ToLowerInvariant()) + "@" + Domain(recipient);

    /// <summary>": first line of output" made safe for a reply line, or empty.</summary>
    private static string FirstLine(string output)
    {
        var line = output.Split('\n', 2)[0].Trim();
        var safe = new string(line.Where(c => c is >= ' ' and < (char)127).Take(200).ToArray());
        return safe.Length == 0 ? string.Empty : ": " + safe;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: local delivery to {Target} deferred: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string queueId, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: local delivery deferred: aliases unavailable: {Reason}")]
    private static partial void LogAliasesUnavailable(ILogger logger, string queueId, string reason);

    private sealed record Context(QueuedMessage Message, LocalRecipientDirectory Directory)
    {
        public Mailbox? Sender => Message.Envelope.Sender;
    }
}
