using Postern.Core.Smtp;

namespace Postern.Filters;

/// <summary>Every reply text the filters give, each once.</summary>
internal static class FilterReplies
{
    /// <summary>The message could not be signed (its body could not be read back, the key failed): the client tries again.</summary>
    public static readonly SmtpReply DkimSigningFailed = new(451, "4.3.0", "Temporary failure signing the message, try again later");
}
