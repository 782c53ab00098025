using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Postern.Core.Policy;
using Postern.Core.Stages;

namespace Postern.Filters.Dkim;

/// <summary>
/// Native DKIM signing as the last stage handler: mail whose From: domain has <c>[[dkim]]</c>
/// entries, from a client that may relay (<see cref="IRelayTrust"/>: authenticated, in the relay
/// networks, certified, or a local submission), gets one DKIM-Signature per entry at the top of
/// its header. The body hash is computed as the body streams past; at end of data the final
/// header fields (after every milter's edits) are signed. Mail passing through from outside is
/// never signed.
/// </summary>
/// <remarks>
/// Handlers are shared by every session; what one message's signing needs between its stages is
/// kept per session (the session's <see cref="SessionFacts"/> instance, which stays the same from
/// the header block to the end of data) in a weak table, so an abandoned session leaves nothing behind.
/// </remarks>
public sealed class DkimSigningHandler(Func<DkimSigningTable> table, IRelayTrust trust, TimeProvider clock, ILogger logger) : IStageHandler
{
    private const int CopyBufferSize = 64 * 1024;
    private readonly ConditionalWeakTable<SessionFacts, DkimTransaction> _transactions = [];

    public DkimMetrics? Metrics { get; init; }

    public string Name => "dkim";

    public bool WantsContent => true;

    public bool EditsMessage => true;

    public async ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var signers = table();
        if (signers.IsEmpty)
        {
            return await StageDecisions.Accepted;
        }
        // May read the access map's table; one that cannot answer grants nothing (no signature).
        var mayRelay = await trust.MayRelayAsync(session, cancellationToken);
        var hashing = mayRelay
            ? signers.For(FromDomain.Of(HeaderBlock.Parse(headerBlock))).Select(s => s.Entry.BodyCanonicalization)
            : [];
        var transaction = new DkimTransaction(mayRelay, EndsWithEmptyLine(headerBlock.Span), hashing);
        if (_transactions.TryGetValue(session, out var previous))
        {
            previous.Dispose();
        }
        _transactions.AddOrUpdate(session, transaction);
        return await StageDecisions.Accepted;
    }

    public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (_transactions.TryGetValue(session, out var transaction))
        {
            transaction.Append(chunk.Span);
        }
        return StageDecisions.Accepted;
    }

    public async ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(draft);
        _transactions.TryGetValue(session, out var transaction);
        _transactions.Remove(session);
        using (transaction)
        {
            // The From: as the handlers before this one left it decides, not the one received.
            var domain = FromDomain.Of(draft.Headers);
            var signers = table().For(domain);
            if (signers.Count == 0 || !(transaction?.MayRelay ?? await trust.MayRelayAsync(session, cancellationToken)))
            {
                return await StageDecisions.Accepted;
            }
            if (transaction is { HasBodySeparator: false } && (transaction.BodyBytes > 0 || draft.BodyReplaced))
            {
                DkimLog.NotSigned(logger, domain!, "no empty line ends the header block", MessageId(draft), session.ListenerName, Client(session));
                Metrics?.Failed("no_separator");
                return await StageDecisions.Accepted;
            }
            try
            {
                var hashes = await BodyHashesAsync(signers, transaction, draft, cancellationToken);
                var now = clock.GetUtcNow();
                var values = signers.Select(s => s.Sign(draft.Headers, hashes[s.Entry.BodyCanonicalization], now)).ToList();
                // From the last to the first, so the fields stand in configuration order at the top.
                for (var i = values.Count - 1; i >= 0; i--)
                {
                    draft.InsertHeader(0, DkimSigner.FieldName, values[i]);
                }
                foreach (var signer in signers)
                {
                    LogSigned(session, draft, signer);
                    Metrics?.Signed(signer.Key.Algorithm);
                }
                return PolicyDecision.Accept("dkim: signed for " + domain);
            }
            catch (Exception e) when (e is IOException or CryptographicException)
            {
                DkimLog.Failed(logger, domain!, e.Message, MessageId(draft), session.ListenerName, Client(session));
                Metrics?.Failed("error");
                return PolicyDecision.TempFail(FilterReplies.DkimSigningFailed, "dkim: signing failed: " + e.Message);
            }
        }
    }

    /// <summary>
    /// The body hash for each canonicalization the signers use: the ones computed as the body
    /// streamed, or, when a handler replaced the body or the From: changed to a signed domain
    /// after the header block, computed now from the body as it stands, streamed from its file.
    /// </summary>
    private static async ValueTask<Dictionary<DkimCanonicalization, byte[]>> BodyHashesAsync(
        IReadOnlyList<DkimSigner> signers, DkimTransaction? transaction, MessageDraft draft, CancellationToken cancellationToken)
    {
        var needed = signers.Select(s => s.Entry.BodyCanonicalization).Distinct().ToList();
        var hashes = new Dictionary<DkimCanonicalization, byte[]>();
        if (!draft.BodyReplaced && transaction is not null)
        {
            foreach (var canonicalization in needed)
            {
                if (transaction.HashFor(canonicalization) is { } hash)
                {
                    hashes[canonicalization] = hash;
                }
            }
        }
        var missing = needed.Where(c => !hashes.ContainsKey(c)).Select(c => new DkimBodyHasher(c)).ToList();
        if (missing.Count == 0)
        {
            return hashes;
        }
        try
        {
            var body = draft.OpenBody();
            await using (body)
            {
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    foreach (var hasher in missing)
                    {
                        hasher.Append(buffer.AsSpan(0, read));
                    }
                }
            }
            foreach (var hasher in missing)
            {
                hashes[hasher.Canonicalization] = hasher.Finish();
            }
            return hashes;
        }
        finally
        {
            foreach (var hasher in missing)
            {
                hasher.Dispose();
            }
        }
    }

    private void LogSigned(SessionFacts session, MessageDraft draft, DkimSigner signer)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        var algorithm = signer.Key.Algorithm.SignatureTag();
        var messageId = MessageId(draft);
        var client = Client(session);
        DkimLog.Signed(logger, signer.Entry.Domain, signer.Entry.Selector, algorithm, signer.Entry.CanonicalizationTag, messageId, session.ListenerName, client);
    }

    private static bool EndsWithEmptyLine(ReadOnlySpan<byte> block) =>
        block.EndsWith("\n\r\n"u8) || block.EndsWith("\n\n"u8) || block.SequenceEqual("\r\n"u8) || block.SequenceEqual("\n"u8);

    /// <summary>The Message-ID for the log: one line (a folded or hostile value cannot start another), at most 200 characters.</summary>
    private static string MessageId(MessageDraft draft)
    {
        var value = draft.Headers.FirstOrDefault(h => h.Is("Message-ID"))?.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            return "(none)";
        }
        var id = string.Concat(value.Where(c => !char.IsControl(c))).Trim();
        return id.Length > 200 ? id[..200] : id;
    }

    private static string Client(SessionFacts session) =>
        (session.Remote.Address.IsIPv4MappedToIPv6 ? session.Remote.Address.MapToIPv4() : session.Remote.Address).ToString();
}
