using Postern.Core.Smtp;

namespace Postern.Delivery.Local;

/// <summary>The replies local delivery records (they reach the mail log and DSNs).</summary>
internal static class LocalReplies
{
    public static SmtpReply DeliveredToMaildir { get; } = new(250, "2.0.0", "Delivered to Maildir");

    public static SmtpReply DeliveredToCommand { get; } = new(250, "2.0.0", "Delivered to command");

    public static SmtpReply DeliveredToFile { get; } = new(250, "2.0.0", "Delivered to file");

    public static SmtpReply UserUnknown { get; } = new(550, "5.1.1", "User unknown");

    public static SmtpReply ForwardingDisabled { get; } = new(550, "5.7.1", "Relaying of alias targets is not enabled yet");

    public static SmtpReply PipesDisabled { get; } = new(550, "5.7.1", "Pipe aliases are not enabled");

    public static SmtpReply FilesDisabled { get; } = new(550, "5.7.1", "File aliases are not enabled");

    public static SmtpReply IoError { get; } = new(451, "4.3.0", "Local delivery deferred: I/O error");

    public static SmtpReply CommandTimedOut { get; } = new(451, "4.3.0", "Command timed out");
}
