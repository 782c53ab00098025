using System.Globalization;
using System.Text;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Cli;

/// <summary><c>postern queue show ID</c> output: the envelope, each recipient's state and last reply, then the message headers.</summary>
internal static class QueueShowFormat
{
    /// <summary>Headers longer than this are cut: the command shows headers, not a message dump.</summary>
    public const int MaxHeaderBytes = 256 * 1024;

    public static void Write(TextWriter output, QueueMessageInfo message, string headers, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var envelope = message.Envelope;
        output.WriteLine($"Queue ID:   {message.Id.Value}");
        output.WriteLine($"Queued at:  {Time(message.QueuedAt, zone)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Size:       {message.Size} bytes"));
        output.WriteLine($"Sender:     {QueueListFormat.Path(envelope.Sender)}");
        output.WriteLine($"Parameters: {Parameters(envelope)}");
        output.WriteLine($"Client:     {Client(envelope.Client)}");
        if (message.Held)
        {
            output.WriteLine(message.QuarantineReason is { } reason
                ? $"Status:     quarantined: {reason} (postern queue release to resume)"
                : "Status:     on hold (postern queue release to resume)");
        }
        else if (envelope.QuarantineReason is { } released)
        {
            output.WriteLine($"Quarantine: {released} (released)");
        }
        if (message.NextAttempt is { } next)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Attempts:   {message.Attempts}, next {Time(next, zone)}"));
        }
        output.WriteLine("Recipients:");
        foreach (var recipient in message.Recipients)
        {
            var line = new StringBuilder("  ").Append(QueueListFormat.Path(recipient.Recipient.Address))
                .Append("  ").Append(QueueListFormat.Word(recipient.State));
            if (recipient.Recipient.Notify != DsnNotify.None)
            {
                line.Append("  NOTIFY=").Append(Notify(recipient.Recipient.Notify));
            }
            if (recipient.Recipient.OriginalRecipient is { } original)
            {
                line.Append("  ORCPT=").Append(original);
            }
            output.WriteLine(line.ToString());
            if (recipient.LastReply is { } reply)
            {
                var at = recipient.At is { } when ? $" ({Time(when, zone)})" : "";
                output.WriteLine($"      last reply: {reply}{at}");
            }
        }
        output.WriteLine();
        output.Write(headers);
    }

    /// <summary>The header section (up to, not including, the blank line), at most <see cref="MaxHeaderBytes"/>, with LF line ends.</summary>
    public static string ReadHeaders(Stream body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var reader = new StreamReader(body, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false);
        var text = new StringBuilder();
        string? line;
        while ((line = reader.ReadLine()) is not null && line.Length > 0)
        {
            if (text.Length + line.Length > MaxHeaderBytes)
            {
                text.Append("[... headers cut at ").Append(MaxHeaderBytes.ToString(CultureInfo.InvariantCulture)).Append(" bytes]\n");
                break;
            }
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static string Time(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture).Remove(29, 1);

    private static string Parameters(Envelope envelope)
    {
        var parts = new List<string>
        {
            "BODY=" + envelope.Body switch
            {
                BodyType.EightBitMime => "8BITMIME",
                BodyType.BinaryMime => "BINARYMIME",
                _ => "7BIT",
            },
        };
        if (envelope.SmtpUtf8)
        {
            parts.Add("SMTPUTF8");
        }
        if (envelope.Return != DsnReturn.Unspecified)
        {
            parts.Add("RET=" + (envelope.Return == DsnReturn.Full ? "FULL" : "HDRS"));
        }
        if (envelope.EnvelopeId is { } id)
        {
            parts.Add("ENVID=" + id);
        }
        if (envelope.AuthParameter is { } auth)
        {
            parts.Add("AUTH=" + auth);
        }
        return string.Join(' ', parts);
    }

    private static string Notify(DsnNotify notify) =>
        notify.HasFlag(DsnNotify.Never)
            ? "NEVER"
            : string.Join(',', new[] { (DsnNotify.Success, "SUCCESS"), (DsnNotify.Failure, "FAILURE"), (DsnNotify.Delay, "DELAY") }
                .Where(f => notify.HasFlag(f.Item1)).Select(f => f.Item2));

    private static string Client(ClientInfo client)
    {
        var text = new StringBuilder(client.Address is { } address ? $"[{address}]" : "local");
        if (client.HeloName is { } helo)
        {
            text.Append(" (").Append(helo).Append(')');
        }
        text.Append(", ").Append(client.Protocol).Append(" on listener ").Append(client.ListenerName);
        if (client.AuthenticatedUser is { } user)
        {
            text.Append(", authenticated as ").Append(user);
        }
        return text.ToString();
    }
}
