using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    internal async ValueTask<SmtpReply?> RsetAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            return Replies.NoArguments;
        }
        await ResetTransactionAsync();
        return Replies.Ok;
    }

    internal ValueTask<SmtpReply?> QuitAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        _state.Close();
        return ValueTask.FromResult<SmtpReply?>(Replies.Closing(Options.HostName));
    }

    internal static ValueTask<SmtpReply?> NoopAsync(SmtpCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SmtpReply?>(Replies.Ok);

    /// <summary>VRFY never confirms users (no address harvesting): RFC 5321 7.3 allows 252.</summary>
    internal static ValueTask<SmtpReply?> VrfyAsync(SmtpCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SmtpReply?>(command.Argument.Length == 0 ? Replies.VrfySyntax : Replies.CannotVerify);

    /// <summary>EXPN is known but not offered: mailing lists are not disclosed.</summary>
    internal static ValueTask<SmtpReply?> ExpnAsync(SmtpCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SmtpReply?>(Replies.NotImplemented);

    internal static ValueTask<SmtpReply?> HelpAsync(SmtpCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SmtpReply?>(Replies.Help);
}
