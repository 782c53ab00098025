using System.Globalization;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    internal async ValueTask<SmtpReply?> HeloAsync(SmtpCommand command, bool extended, CancellationToken cancellationToken)
    {
        var name = command.Argument.Trim();
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || name.Length > 255)
        {
            return Replies.HeloSyntax;
        }
        var decision = await Pipeline.HeloAsync(_state.Facts, name, cancellationToken);
        if (!decision.IsAccepted)
        {
            Reject("check_helo", Printable(name), decision);
            return decision.Reply!;
        }
        NoteSessionVerdict("check_helo", Printable(name), decision);
        await ResetTransactionAsync();
        _state.Greeted(name, extended);
        var greeting = Options.HostName + " greets " + name;
        if (!extended)
        {
            return SmtpReply.WithoutStatus(250, greeting);
        }
        string[] keywords =
        [
            greeting,
            "PIPELINING",
            "SIZE " + Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
            "DSN",
            "CHUNKING",
            "DELIVERBY " + DeliverByParameter.MinimumSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        if (OffersEtrn)
        {
            keywords = [.. keywords, "ETRN"];
        }
        if (_state.Facts.IsTls)
        {
            // RFC 8689 2: REQUIRETLS is offered only on a session that is already encrypted.
            keywords = [.. keywords, "REQUIRETLS"];
        }
        if (await AuthKeywordAsync(cancellationToken) is { } auth)
        {
            keywords = [.. keywords, auth];
        }
        // STARTTLS only where enabled and only before TLS (RFC 3207).
        return SmtpReply.WithoutStatus(250, OffersStartTls ? [.. keywords, "STARTTLS", "HELP"] : [.. keywords, "HELP"]);
    }

    private bool OffersStartTls => _listener.Tls == ListenerTlsMode.StartTls && !_state.Facts.IsTls && _services.Tls is not null;
}
