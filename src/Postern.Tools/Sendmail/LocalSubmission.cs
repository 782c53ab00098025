using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Maildrop;
using Postern.Tools.Daemon;

namespace Postern.Tools.Sendmail;

/// <summary>
/// <c>sendmail [-t] [-i] [-f from] [-F name] rcpt...</c>: reads the message from stdin and writes it
/// straight into the spool with the spool's durable writer (fsync + rename + directory fsync), then
/// wakes a running daemon with SIGUSR1 so delivery starts at once. Without a daemon the message
/// simply waits in the queue for the next start. Only the header section is held in memory.
/// </summary>
public sealed class LocalSubmission(PosternConfiguration configuration, ILocalRecipients local, SubmittingUser user, TimeProvider clock, TextWriter output)
{
    public const string ListenerName = "sendmail";

    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    /// <summary>The domain of a bare user name: the host name when it is local, else the first local domain.</summary>
    public static string DefaultDomain(PosternConfiguration configuration, ILocalRecipients local)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var host = configuration.Server.HostName;
        return local.IsLocalDomain(host) || configuration.Local.Domains.Count == 0 ? host : configuration.Local.Domains[0];
    }

    /// <summary>True once a submission went to the maildrop: the daemon picks it up by itself (inotify).</summary>
    public bool UsedMaildrop { get; private set; }

    /// <exception cref="SubmissionException">Anything that stops the submission, with its exit code.</exception>
    public async Task<QueueId> SubmitAsync(SendmailOptions options, Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var domain = DefaultDomain(configuration, local);
        var sender = ParseSender(options.Sender, user, domain);
        var recipients = new List<Mailbox>();
        foreach (var argument in options.Arguments)
        {
            Add(argument, domain, recipients, "recipient");
        }
        var reader = new InputLineReader(input);
        var headers = await HeaderSectionReader.ReadAsync(reader, options.IgnoreDots, cancellationToken);
        if (options.ExtractRecipients)
        {
            var resent = headers.All("Resent-To", "Resent-Cc", "Resent-Bcc").ToList();
            foreach (var field in resent.Count > 0 ? resent : headers.All("To", "Cc", "Bcc"))
            {
                Add(field.Value, domain, recipients, field.Name + ":");
            }
        }
        var envelopeRecipients = Validate(recipients, options.Notify);
        var now = clock.GetLocalNow();
        var envelope = new Envelope
        {
            Sender = sender,
            Recipients = envelopeRecipients,
            Body = options.Body ?? BodyType.SevenBit,
            SmtpUtf8 = sender?.NeedsSmtpUtf8 == true || envelopeRecipients.Any(r => r.Address.NeedsSmtpUtf8),
            Return = options.Return,
            EnvelopeId = options.EnvelopeId,
            Client = new ClientInfo(null, null, "local", ListenerName),
            ReceivedAt = clock.GetUtcNow(),
        };
        var (writer, viaMaildrop) = await BeginAsync(envelope, cancellationToken);
        UsedMaildrop = viaMaildrop;
        await using (writer)
        {
            try
            {
                var body = new CountingWriter(writer.Body, configuration.Server.MaxMessageSize);
                if (!viaMaildrop)
                {
                    // Through the maildrop, the daemon writes it: only it knows the uid for sure.
                    await body.WriteAsync(SubmissionHeaders.Received(user, configuration.Server.HostName, writer.Id, envelopeRecipients, now), cancellationToken);
                }
                foreach (var field in headers.Fields.Where(f => !SubmissionHeaders.IsRemoved(f)))
                {
                    foreach (var line in field.Lines)
                    {
                        await body.WriteLineAsync(line, cancellationToken);
                    }
                }
                await body.WriteAsync(SubmissionHeaders.Missing(headers, sender, options.FullName, configuration.Server.HostName, writer.Id, now), cancellationToken);
                await body.WriteLineAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
                if (!headers.InputEnded)
                {
                    await CopyBodyAsync(reader, headers.FirstBodyLine, options.IgnoreDots, body, cancellationToken);
                }
                await writer.CommitAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new SubmissionException(ExitCodes.IoError, $"cannot write the message to the spool: {e.Message}");
            }
        }
        if (options.Verbose)
        {
            await output.WriteLineAsync(viaMaildrop
                ? $"{writer.Id.Value}: handed to the daemon through the maildrop, from={ReversePath.Format(sender)}, nrcpts={envelopeRecipients.Count} (the daemon queues it under an id of its own and logs \"submitted as {writer.Id.Value}\")"
                : $"{writer.Id.Value}: queued, from={ReversePath.Format(sender)}, nrcpts={envelopeRecipients.Count}");
        }
        return writer.Id;
    }

    /// <summary>
    /// The spool when this user may write it (root, the service user), else the maildrop, which
    /// any local user may write and the daemon picks up, now or when it next starts; always the
    /// maildrop when local submissions pass stage handlers, which only the daemon runs.
    /// </summary>
    private async Task<(IMessageWriter Writer, bool ViaMaildrop)> BeginAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        string spoolProblem = "local submissions pass the daemon's stage handlers ([server] local_milters)";
        if (!configuration.FiltersLocalSubmissions)
        {
            try
            {
                return (await new Spool(configuration.Queue, clock, NullLogger<Spool>.Instance).BeginMessageAsync(envelope, cancellationToken), false);
            }
            catch (UnauthorizedAccessException e)
            {
                spoolProblem = e.Message;
            }
            catch (IOException e)
            {
                throw new SubmissionException(ExitCodes.TempFail, $"the spool {configuration.Queue.SpoolDirectory} is not available now: {e.Message}; try again later");
            }
        }
        var maildrop = Maildrop.PathIn(configuration.DataDirectory);
        try
        {
            return (await Maildrop.BeginMessageAsync(maildrop, envelope, clock, cancellationToken), true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException)
        {
            throw new SubmissionException(ExitCodes.CannotCreate,
                $"cannot write to the spool {configuration.Queue.SpoolDirectory} ({spoolProblem}) nor to the maildrop {maildrop} ({e.Message}); "
                + "`postern serve` creates the maildrop when it starts, and the data directory must be searchable by others (o+x)");
        }
        catch (IOException e)
        {
            throw new SubmissionException(ExitCodes.TempFail, $"the maildrop {maildrop} is not available now: {e.Message}; try again later");
        }
    }

    /// <summary>Wakes a running daemon (SIGUSR1: rescan the queue); false, with the reason, when none runs.</summary>
    public static bool WakeDaemon(string dataDirectory, out string problem)
    {
        if (PidFile.FindDaemon(dataDirectory, out problem) is not { } pid)
        {
            return false;
        }
        if (!PidFile.Signal(pid))
        {
            problem = $"cannot signal process {pid}";
            return false;
        }
        return true;
    }

    private static Mailbox? ParseSender(string? text, SubmittingUser user, string domain)
    {
        if (text is null)
        {
            return SubmissionAddresses.TryParse(user.Name, domain, PathKind.Reverse, out var own, out _) ? own : null;
        }
        return SubmissionAddresses.TryParse(text, domain, PathKind.Reverse, out var sender, out var error)
            ? sender
            : throw new SubmissionException(ExitCodes.NoUser, $"bad sender address {error}");
    }

    private static void Add(string text, string domain, List<Mailbox> recipients, string where)
    {
        if (!SubmissionAddresses.TryParseList(text, domain, recipients, out var error))
        {
            throw new SubmissionException(ExitCodes.NoUser, $"bad {where} address {error}");
        }
    }

    private List<EnvelopeRecipient> Validate(List<Mailbox> recipients, DsnNotify notify)
    {
        var unique = recipients.DistinctBy(r => r.ToString(), StringComparer.OrdinalIgnoreCase).ToList();
        if (unique.Count == 0)
        {
            throw new SubmissionException(ExitCodes.NoUser, "no recipient addresses found (give them as arguments, or use -t with To:, Cc: or Bcc: headers)");
        }
        if (unique.Count > configuration.Server.MaxRecipients)
        {
            throw new SubmissionException(ExitCodes.NoUser, $"too many recipients ({unique.Count}; limits.max_recipients is {configuration.Server.MaxRecipients})");
        }
        var refusals = unique.Select(r => LocalRecipientRule.Check(r, local)).OfType<Core.Smtp.SmtpReply>().ToList();
        if (refusals.Count > 0)
        {
            var temporary = refusals.All(r => r.IsTransientFailure);
            throw new SubmissionException(temporary ? ExitCodes.TempFail : ExitCodes.NoUser,
                string.Join("\n", refusals.Select(r => r.Lines[0])) + "\nnothing was queued");
        }
        return unique.Select(r => new EnvelopeRecipient(r, notify)).ToList();
    }

    private static async Task CopyBodyAsync(InputLineReader reader, InputLine? first, bool ignoreDots, CountingWriter body, CancellationToken cancellationToken)
    {
        var next = first ?? await reader.ReadAsync(cancellationToken);
        var open = false;
        while (next is { } line)
        {
            if (!ignoreDots && HeaderSectionReader.IsLoneDot(line))
            {
                break;
            }
            if (line.Complete)
            {
                await body.WriteLineAsync(line.Bytes, cancellationToken);
            }
            else
            {
                await body.WriteRawAsync(line.Bytes, cancellationToken);
            }
            open = !line.Complete;
            next = await reader.ReadAsync(cancellationToken);
        }
        if (open)
        {
            // The last line had no line end: the spool holds CRLF-terminated lines only.
            await body.WriteRawAsync(CrLf, cancellationToken);
        }
    }

    /// <summary>Writes to the spool, refusing a message beyond limits.max_message_size.</summary>
    private sealed class CountingWriter(Stream inner, long limit)
    {
        private long _written;

        public ValueTask WriteAsync(string text, CancellationToken cancellationToken) => WriteRawAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

        public async ValueTask WriteLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
        {
            await WriteRawAsync(line, cancellationToken);
            await WriteRawAsync(CrLf, cancellationToken);
        }

        public ValueTask WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            _written += bytes.Length;
            if (limit > 0 && _written > limit)
            {
                throw new SubmissionException(ExitCodes.DataError, $"the message is larger than limits.max_message_size ({limit} bytes)");
            }
            return inner.WriteAsync(bytes, cancellationToken);
        }
    }
}
