using Postern.Core.Addressing;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;
using Postern.Server.Logging;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    /// <summary>
    /// RFC 1985 ETRN: asks the queue runner to try the mail waiting for a domain now. Allowed
    /// after HELO/EHLO and outside a mail transaction, on listeners with <c>etrn</c> on.
    /// </summary>
    internal async ValueTask<SmtpReply?> EtrnAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (!OffersEtrn)
        {
            return Replies.EtrnNotOffered;
        }
        if (_state.Phase == SessionPhase.Connected)
        {
            return Replies.NeedHelo;
        }
        if (_state.Phase != SessionPhase.Greeted)
        {
            return Replies.EtrnInTransaction;
        }
        var argument = command.Argument.Trim();
        if (argument.StartsWith('#'))
        {
            // Named queues (RFC 1985 section 5) do not exist here; 458 is the RFC's "unable to queue".
            return Replies.EtrnNamedQueue(Printable(argument));
        }
        // "@domain" asks for the domain and its subdomains; IQueueControl always includes them, so
        // a bare "domain" flushes its subdomains too (one more attempt each, never less).
        var domain = argument.StartsWith('@') ? argument[1..] : argument;
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }
        if (domain.Length == 0 || !DomainSyntax.IsValidHostName(domain, out _))
        {
            return Replies.EtrnSyntax;
        }
        Log.Etrn(domain, _relay, _listener.Name);
        var count = await _services.QueueControl!.FlushAsync(domain, cancellationToken);
        return count > 0
            ? Replies.EtrnStarted(domain)
            : Replies.EtrnNothingWaiting(domain);
    }

    private bool OffersEtrn => _listener.Etrn && _services.QueueControl is not null;
}
