using MimeKit;
using MimeKit.Cryptography;
using Postern.Core.Stages;
using Postern.Filters.Authentication.Dns;

namespace Postern.Filters.Authentication.Dkim;

/// <summary>
/// DKIM verification (RFC 6376) with MimeKit's <see cref="DkimVerifier"/>: each DKIM-Signature
/// of the message, at most <see cref="MaxSignatures"/>, with keys from DNS. The message is parsed
/// from the draft with persistent streams, so the body stays on disk. All the signatures share one
/// DNS deadline.
/// </summary>
public sealed class DkimChecker(IAuthenticationDns dns, TimeProvider clock, TimeSpan deadline)
{
    /// <summary>Signatures beyond this many are not verified (each costs a DNS lookup and a body hash).</summary>
    public const int MaxSignatures = 8;

    /// <summary>One result per signature, in header order; empty when the message has none (dkim=none).</summary>
    public async ValueTask<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MessageDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!draft.Headers.Any(h => h.Is("DKIM-Signature")))
        {
            return [];
        }
        using var limit = new DnsDeadline(deadline, clock, cancellationToken);
        var stream = await DraftMessageStream.OpenAsync(draft, cancellationToken);
        await using (stream)
        {
            var parser = new MimeParser(stream, MimeFormat.Entity, persistent: true);
            using var message = await parser.ParseMessageAsync(cancellationToken);
            var verifier = new DkimVerifier(new DnsDkimPublicKeyLocator(dns));
            var results = new List<DkimSignatureResult>();
            foreach (var signature in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures))
            {
                results.Add(await VerifyOneAsync(verifier, message, signature, limit));
            }
            return results;
        }
    }

    private static async Task<DkimSignatureResult> VerifyOneAsync(DkimVerifier verifier, MimeMessage message, Header signature, DnsDeadline limit)
    {
        var tags = DkimTags.Parse(signature.Value);
        var (domain, selector, algorithm) = (tags.GetValueOrDefault("d", ""), tags.GetValueOrDefault("s", ""), tags.GetValueOrDefault("a", ""));
        DkimSignatureResult Result(DkimResult result, string reason) => new(result, domain, selector, algorithm, reason);
        try
        {
            return await verifier.VerifyAsync(message, signature, limit.Token)
                ? Result(DkimResult.Pass, "good signature")
                : Result(DkimResult.Fail, "signature or body hash does not verify");
        }
        catch (DkimKeyException e)
        {
            return Result(e.Temporary ? DkimResult.TempError : DkimResult.PermError, e.Message);
        }
        catch (OperationCanceledException e) when (limit.Expired(e))
        {
            return Result(DkimResult.TempError, "DNS did not answer in time");
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or ParseException)
        {
            // RFC 8601 section 2.7.1: a signature that could not be processed (bad syntax, unknown algorithm) is neutral.
            return Result(DkimResult.Neutral, "signature not usable: " + e.Message);
        }
    }
}
