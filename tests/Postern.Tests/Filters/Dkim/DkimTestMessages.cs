using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using DkimSigner = Postern.Filters.Dkim.DkimSigner;
using Org.BouncyCastle.Crypto;
using Postern.Core.Stages;
using Postern.Filters.Dkim;

namespace Postern.Tests.Filters.Dkim;

/// <summary>Signs test messages with Postern's signer and verifies them with MimeKit's DkimVerifier, the reference.</summary>
internal static class DkimTestMessages
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 22, 19, TimeSpan.Zero);

    /// <summary>The message with one DKIM-Signature per signer at the top, signed in one piece.</summary>
    public static byte[] Sign(string message, params DkimSigner[] signers) => Sign(Encoding.UTF8.GetBytes(message), signers);

    public static byte[] Sign(byte[] message, params DkimSigner[] signers)
    {
        var headerLength = HeaderBlock.Measure(message);
        var headers = HeaderBlock.Parse(message.AsMemory(0, headerLength));
        var body = message.AsSpan(headerLength);
        var output = new MemoryStream();
        foreach (var signer in signers)
        {
            using var hasher = new DkimBodyHasher(signer.Entry.BodyCanonicalization);
            hasher.Append(body);
            var value = signer.Sign(headers, hasher.Finish(), Now);
            output.Write(Encoding.UTF8.GetBytes(DkimSigner.FieldName + ": " + value + "\r\n"));
        }
        output.Write(message);
        return output.ToArray();
    }

    /// <summary>
    /// Verifies every DKIM-Signature of <paramref name="message"/> with MimeKit, the keys found in
    /// <paramref name="records"/> (owner name to TXT text, as DNS would answer); one result each, top first.
    /// </summary>
    public static IReadOnlyList<bool> Verify(byte[] message, IReadOnlyDictionary<string, string> records)
    {
        var parsed = MimeMessage.Load(new MemoryStream(message));
        var verifier = new DkimVerifier(new RecordLocator(records));
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        return [.. parsed.Headers.Where(h => h.Id == HeaderId.DkimSignature).Select(h => verifier.Verify(parsed, h))];
    }

    /// <summary>The DNS answer for a signer's key, made by Postern's record writer.</summary>
    public static KeyValuePair<string, string> RecordOf(DkimSigner signer) =>
        new(DkimDnsRecord.Name(signer.Entry.Domain, signer.Entry.Selector), DkimDnsRecord.Text(signer.Key));

    public static Dictionary<string, string> RecordsOf(params DkimSigner[] signers) => new(signers.Select(RecordOf), StringComparer.OrdinalIgnoreCase);

    public static DkimSigner Signer(DkimAlgorithm algorithm, string domain = "example.org", string selector = "s1", DkimCanonicalization header = DkimCanonicalization.Relaxed, DkimCanonicalization body = DkimCanonicalization.Relaxed) =>
        new(new DkimEntry(domain, selector, "/unused") { HeaderCanonicalization = header, BodyCanonicalization = body }, DkimTestKeys.Of(algorithm));

    private sealed class RecordLocator(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            records.TryGetValue(selector + "._domainkey." + domain, out var text)
                ? GetPublicKey(text)
                : throw new InvalidOperationException("no key published at " + selector + "._domainkey." + domain);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
