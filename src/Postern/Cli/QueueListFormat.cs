using System.Globalization;
using Postern.Core.Addressing;
using Postern.Queue;

namespace Postern.Cli;

/// <summary>
/// <c>postern queue list</c> output in sendmail's mailq layout: id, size, queue time and sender on
/// one line, then every recipient indented under the sender with its state.
/// </summary>
internal static class QueueListFormat
{
    public const string Header = "-Queue ID-------- --Size-- -----Q-Time----- ------------Sender/Recipient-----------";
    public const string Empty = "Mail queue is empty";

    /// <summary>The state line under a message held by <c>postern queue hold</c>.</summary>
    public const string HeldState = "on hold: not attempted until `postern queue release`";

    // Columns: id (17), size (8), time (16), one space between: sender and recipients start here.
    private static readonly string RecipientIndent = new(' ', 17 + 1 + 8 + 1 + 16 + 1);

    /// <summary>Writes each message as <paramref name="messages"/> yields it (a deep queue is never held whole).</summary>
    public static void Write(TextWriter output, IEnumerable<QueueMessageInfo> messages, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(messages);
        var count = 0;
        foreach (var message in messages)
        {
            if (count++ == 0)
            {
                output.WriteLine(Header);
            }
            var time = TimeZoneInfo.ConvertTime(message.QueuedAt, zone).ToString("ddd MMM dd HH:mm", CultureInfo.InvariantCulture);
            // mailq marks a held (quarantined) message with '!' after the id, and shows the next attempt.
            var id = message.Held ? message.Id.Value + "!" : message.Id.Value;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,-17} {message.Size,8} {time,-16} {Path(message.Envelope.Sender)}"));
            if (message.QuarantineReason is { } reason)
            {
                // sendmail's mailq prints the quarantine reason under the message line the same way.
                output.WriteLine($"{RecipientIndent}(quarantine: {reason})");
            }
            else if (message.Held)
            {
                // The '!' is postqueue -p's mark, kept for scripts; this line says it in words.
                output.WriteLine($"{RecipientIndent}({HeldState})");
            }
            if (message.NextAttempt is { } next && !message.Held)
            {
                var at = TimeZoneInfo.ConvertTime(next, zone).ToString("ddd MMM dd HH:mm", CultureInfo.InvariantCulture);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{RecipientIndent}(next attempt {at}, attempts: {message.Attempts})"));
            }
            foreach (var recipient in message.Recipients)
            {
                output.WriteLine($"{RecipientIndent}{Path(recipient.Recipient.Address)}  ({Status(recipient)})");
            }
        }
        output.WriteLine(count == 0 ? Empty : string.Create(CultureInfo.InvariantCulture, $"                Total requests: {count}"));
    }

    /// <summary>The mailbox in angle brackets; the null sender is &lt;&gt;.</summary>
    public static string Path(Mailbox? mailbox) => mailbox is null ? "<>" : $"<{mailbox}>";

    /// <summary>The state word, with the recorded reply for failures and deferrals: <c>failed: 550 5.1.1 User unknown</c>.</summary>
    public static string Status(QueueRecipientStatus recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var word = Word(recipient.State);
        return recipient.State is QueueRecipientState.Failed or QueueRecipientState.Bounced or QueueRecipientState.Deferred && recipient.LastReply is { } reply
            ? $"{word}: {reply}"
            : word;
    }

    public static string Word(QueueRecipientState state) => state switch
    {
        QueueRecipientState.Delivered => "delivered",
        QueueRecipientState.Failed => "failed",
        QueueRecipientState.Bounced => "failed, bounced",
        QueueRecipientState.Deferred => "deferred",
        _ => "pending",
    };
}
