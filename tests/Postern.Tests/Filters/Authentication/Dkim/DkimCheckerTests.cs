using System.Text;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Postern.Filters.Authentication.Dkim;

namespace Postern.Tests.Filters.Authentication.Dkim;

/// <summary>
/// DKIM verification of messages MimeKit's signer signed, with the key published in in-memory
/// DNS: a good signature passes, a changed body fails, a missing key is a permerror, DNS that
/// fails or never answers is a temperror.
/// </summary>
public sealed class DkimCheckerTests : IDisposable
{
    private static readonly Lazy<AsymmetricCipherKeyPair> Keys = new(() =>
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
        return generator.GenerateKeyPair();
    });

    private readonly TestDrafts _drafts = new();

    [Fact]
    public async Task A_good_signature_passes_with_its_domain_selector_and_algorithm()
    {
        var results = await VerifyAsync(Signed(), PublishedKey());
        var result = Assert.Single(results);
        Assert.Equal(new DkimSignatureResult(DkimResult.Pass, "example.org", "s2026", "rsa-sha256", "good signature"), result);
    }

    [Fact]
    public async Task An_ed25519_signature_passes_and_dual_signing_gives_one_result_each()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var ed25519 = generator.GenerateKeyPair();
        var rawPublicKey = ((Ed25519PublicKeyParameters)ed25519.Public).GetEncoded();
        var dns = PublishedKey().Txt("e2026._domainkey.example.org", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(rawPublicKey));
        // RFC 8463 section 3: an Ed25519 signature beside the RSA one.
        var message = Signed(new DkimSigner(ed25519.Private, "example.org", "e2026", DkimSignatureAlgorithm.Ed25519Sha256));

        var results = await VerifyAsync(message, dns);

        Assert.Equal(
            [(DkimResult.Pass, "e2026", "ed25519-sha256"), (DkimResult.Pass, "s2026", "rsa-sha256")],
            results.Select(r => (r.Result, r.Selector, r.Algorithm)));
    }

    [Fact]
    public async Task A_changed_body_fails()
    {
        var message = Encoding.ASCII.GetString(Signed()).Replace("Hello there", "Hello THERE", StringComparison.Ordinal);
        var result = Assert.Single(await VerifyAsync(Encoding.ASCII.GetBytes(message), PublishedKey()));
        Assert.Equal(DkimResult.Fail, result.Result);
    }

    [Fact]
    public async Task A_changed_signed_header_fails()
    {
        var message = Encoding.ASCII.GetString(Signed()).Replace("Subject: Greetings", "Subject: Greetings!", StringComparison.Ordinal);
        Assert.Equal(DkimResult.Fail, Assert.Single(await VerifyAsync(Encoding.ASCII.GetBytes(message), PublishedKey())).Result);
    }

    [Fact]
    public async Task A_missing_key_is_a_permerror()
    {
        var result = Assert.Single(await VerifyAsync(Signed(), new InMemoryDns()));
        Assert.Equal(DkimResult.PermError, result.Result);
        Assert.Contains("s2026._domainkey.example.org", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_key_lookup_is_a_temperror()
    {
        var result = Assert.Single(await VerifyAsync(Signed(), new InMemoryDns().Fail("s2026._domainkey.example.org")));
        Assert.Equal(DkimResult.TempError, result.Result);
    }

    [Fact]
    public async Task A_key_lookup_that_never_answers_is_a_temperror_at_the_deadline()
    {
        var clock = new FakeTimeProvider();
        var checker = new DkimChecker(new InMemoryDns().Hang("s2026._domainkey.example.org"), clock, TimeSpan.FromSeconds(20));
        var verifying = checker.VerifyAsync(_drafts.Create(Signed()), CancellationToken.None).AsTask();
        // The lookup waits; the check ends when the fake clock passes the deadline, not before.
        for (var i = 0; i < 100 && !verifying.IsCompleted; i++)
        {
            await Task.Delay(10);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var result = Assert.Single(await verifying.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(DkimResult.TempError, result.Result);
        Assert.Equal("DNS did not answer in time", result.Reason);
    }

    [Fact]
    public async Task A_malformed_signature_is_neutral()
    {
        var message = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s2026; b=\r\nFrom: a@example.org\r\n\r\nbody\r\n"u8.ToArray();
        var result = Assert.Single(await VerifyAsync(message, PublishedKey()));
        Assert.Equal(DkimResult.Neutral, result.Result);
    }

    [Fact]
    public async Task A_message_without_signatures_has_no_results()
    {
        Assert.Empty(await VerifyAsync("From: a@example.org\r\n\r\nbody\r\n"u8.ToArray(), PublishedKey()));
    }

    [Fact]
    public async Task A_replaced_body_that_cannot_seek_is_verified_from_a_temporary_copy()
    {
        var signed = Signed();
        var draft = _drafts.Create(signed);
        var bodyStart = HeaderLength(signed);
        draft.ReplaceBody(() => new ForwardOnlyStream(signed[bodyStart..]));
        var checker = new DkimChecker(PublishedKey(), TimeProvider.System, TimeSpan.FromSeconds(20));
        Assert.Equal(DkimResult.Pass, Assert.Single(await checker.VerifyAsync(draft, CancellationToken.None)).Result);
    }

    public void Dispose() => _drafts.Dispose();

    private static int HeaderLength(byte[] message) => Postern.Core.Stages.HeaderBlock.Measure(message);

    private async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(byte[] message, InMemoryDns dns)
    {
        var checker = new DkimChecker(dns, TimeProvider.System, TimeSpan.FromSeconds(20));
        return await checker.VerifyAsync(_drafts.Create(message), CancellationToken.None);
    }

    /// <summary>The public key's record at s2026._domainkey.example.org.</summary>
    internal static InMemoryDns PublishedKey(InMemoryDns? dns = null)
    {
        var publicKey = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(Keys.Value.Public).GetEncoded();
        return (dns ?? new InMemoryDns()).Txt("s2026._domainkey.example.org", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(publicKey));
    }

    /// <summary>A message from alice@example.org signed by MimeKit (relaxed/relaxed, d=example.org, s=s2026).</summary>
    internal static byte[] Signed(DkimSigner? second = null)
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@example.org"));
        message.To.Add(new MailboxAddress("User", "user@mx.test"));
        message.Subject = "Greetings";
        message.MessageId = "m1@example.org";
        message.Body = new TextPart("plain") { Text = "Hello there\r\nA second line.\r\n" };
        var signer = new DkimSigner(Keys.Value.Private, "example.org", "s2026", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(options, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId]);
        if (second is not null)
        {
            second.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            second.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            second.Sign(options, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId]);
        }
        using var bytes = new MemoryStream();
        message.WriteTo(options, bytes);
        return bytes.ToArray();
    }

    /// <summary>A stream that reads forward only, as a filter's replacement body may.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
