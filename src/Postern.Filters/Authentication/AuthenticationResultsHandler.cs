using System.Net;
using Microsoft.Extensions.Logging;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Spf;

namespace Postern.Filters.Authentication;

/// <summary>
/// Checks SPF, DKIM and DMARC for mail arriving from other MTAs and writes one
/// Authentication-Results field at the top of the header block, after removing any field that
/// claims Postern's authserv-id (RFC 8601 section 5). In enforce mode a DMARC failure gets the
/// From: domain's policy: p=reject a 550 5.7.1, p=quarantine a hold. A DNS failure is a temperror
/// and never refuses a message. Submission listeners, authenticated clients and clients in the
/// ignored networks are not checked: their mail is the site's own.
/// </summary>
public sealed partial class AuthenticationResultsHandler(
    AuthenticationResultsMode mode,
    string authservId,
    IReadOnlyList<IPNetwork> ignoreNetworks,
    SpfChecker spf,
    DkimChecker dkim,
    DmarcEvaluator dmarc,
    ILogger logger,
    AuthenticationMetrics? metrics = null) : IStageHandler
{
    public string Name => "authentication-results";

    public bool EditsMessage => true;

    public async ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(draft);
        if (mode == AuthenticationResultsMode.Off || session.Role != ListenerRole.Mta || session.AuthenticatedUser is not null || IsIgnored(session))
        {
            return await StageDecisions.Accepted;
        }
        var spfOutcome = await spf.CheckAsync(session.Remote.Address, draft.Envelope.Sender?.ToString(), session.HeloName, cancellationToken);
        var signatures = await dkim.VerifyAsync(draft, cancellationToken);
        var dmarcOutcome = await dmarc.EvaluateAsync(FromDomain.Of(draft.Headers), spfOutcome, signatures, cancellationToken);

        RemoveClaimedFields(draft);
        draft.InsertHeader(0, AuthenticationResultsHeader.Name, AuthenticationResultsHeader.Build(authservId, spfOutcome, signatures, dmarcOutcome));
        var decision = Decide(dmarcOutcome);
        Count(spfOutcome, signatures, dmarcOutcome, decision);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var client = session.Remote.Address.ToString();
            var from = dmarcOutcome.FromDomain ?? "-";
            var dkimSummary = signatures.Count == 0 ? "none" : string.Join(',', signatures.Select(s => s.ResultName));
            var action = decision.Verdict.ToString().ToLowerInvariant();
            Checked(logger, client, from, spfOutcome.ResultName, dkimSummary, dmarcOutcome.ResultName, action, dmarcOutcome.Reason);
        }
        return decision;
    }

    private bool IsIgnored(SessionFacts session)
    {
        var client = session.Remote.Address.IsIPv4MappedToIPv6 ? session.Remote.Address.MapToIPv4() : session.Remote.Address;
        return ignoreNetworks.Any(n => n.Contains(client));
    }

    // Forged or stale fields with our authserv-id, wherever they stand in the header block.
    private void RemoveClaimedFields(MessageDraft draft)
    {
        var occurrence = 0;
        var claimed = new List<int>();
        foreach (var field in draft.Headers.Where(f => f.Is(AuthenticationResultsHeader.Name)))
        {
            occurrence++;
            if (AuthenticationResultsHeader.Claims(field.Value, authservId))
            {
                claimed.Add(occurrence);
            }
        }
        // From the last, so the earlier occurrence numbers stay right.
        for (var i = claimed.Count - 1; i >= 0; i--)
        {
            draft.DeleteHeader(AuthenticationResultsHeader.Name, claimed[i]);
        }
    }

    private PolicyDecision Decide(DmarcOutcome outcome)
    {
        if (mode != AuthenticationResultsMode.Enforce || outcome.Result != DmarcResult.Fail || outcome.FromDomain is not { } from)
        {
            return PolicyDecision.Accept("authentication results written");
        }
        return outcome.Disposition switch
        {
            DmarcPolicy.Reject => PolicyDecision.Reject(AuthenticationReplies.DmarcReject(from), $"dmarc: {from} p=reject: {outcome.Reason}") with { Rule = "dmarc" },
            DmarcPolicy.Quarantine => PolicyDecision.Quarantine($"DMARC policy of {from} (p=quarantine): {outcome.Reason}"),
            _ => PolicyDecision.Accept("authentication results written"),
        };
    }

    private void Count(SpfOutcome spfOutcome, IReadOnlyList<DkimSignatureResult> signatures, DmarcOutcome dmarcOutcome, PolicyDecision decision)
    {
        if (metrics is null)
        {
            return;
        }
        metrics.Result("spf", spfOutcome.ResultName);
        if (signatures.Count == 0)
        {
            metrics.Result("dkim", "none");
        }
        foreach (var signature in signatures)
        {
            metrics.Result("dkim", signature.ResultName);
        }
        metrics.Result("dmarc", dmarcOutcome.ResultName);
        if (decision.Verdict is PolicyVerdict.Reject or PolicyVerdict.Quarantine)
        {
            metrics.Action(decision.Verdict.ToString().ToLowerInvariant());
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "authentication-results: client=[{Client}] from={From} spf={Spf} dkim={Dkim} dmarc={Dmarc} action={Action} ({Reason})")]
    private static partial void Checked(ILogger logger, string client, string from, string spf, string dkim, string dmarc, string action, string reason);
}
