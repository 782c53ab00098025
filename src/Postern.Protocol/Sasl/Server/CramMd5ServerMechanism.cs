using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// RFC 2195 CRAM-MD5: challenge <c>&lt;random.timestamp@host&gt;</c>, response
/// <c>user SP hex(HMAC-MD5(secret, challenge))</c>. Needs the password-equivalent secret.
/// </summary>
internal sealed class CramMd5ServerMechanism : ISaslServerMechanism
{
    public const string MechanismName = "CRAM-MD5";

    private const int DigestHexLength = 32;

    private readonly SaslServerContext _context;
    private readonly byte[] _challenge;
    private bool _challenged;
    private bool _done;

    public CramMd5ServerMechanism(SaslServerContext context, SaslServerSettings settings)
        : this(context, NewChallenge(context.ServerName, settings.TimeProvider))
    {
    }

    /// <summary>With a fixed challenge, for the RFC's test vector.</summary>
    internal CramMd5ServerMechanism(SaslServerContext context, string challenge)
    {
        _context = context;
        _challenge = Encoding.ASCII.GetBytes(challenge);
    }

    public string Name => MechanismName;

    public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return SaslOutcomes.AlreadyComplete(Name);
        }
        if (!_challenged)
        {
            if (response is { Length: > 0 })
            {
                _done = true;
                return SaslOutcomes.Malformed(Name, "takes no initial response");
            }
            _challenged = true;
            return SaslStep.Continue(_challenge);
        }
        _done = true;
        if (!TryParse((response ?? ReadOnlyMemory<byte>.Empty).Span, out var userName, out var digest))
        {
            return SaslOutcomes.Malformed(Name, "expected user SP 32 hex digits");
        }
        var (user, failure) = await UserLookup.FindAsync(Name, _context, userName, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        // Unknown users and users without the secret get the same HMAC against a random key.
        var secret = user?.PasswordEquivalent is { } equivalent ? Encoding.UTF8.GetBytes(equivalent) : RandomNumberGenerator.GetBytes(16);
        var matches = CryptographicOperations.FixedTimeEquals(Digest(secret, _challenge), digest);
        return matches && user?.PasswordEquivalent is not null
            ? SaslOutcomes.Authorize(Name, user.Name, null)
            : SaslOutcomes.BadCredentials(Name, userName);
    }

#pragma warning disable CA5351 // CRAM-MD5 is defined with HMAC-MD5.
    internal static byte[] Digest(byte[] secret, byte[] challenge) => HMACMD5.HashData(secret, challenge);
#pragma warning restore CA5351

    private static bool TryParse(ReadOnlySpan<byte> bytes, out string userName, out byte[] digest)
    {
        userName = string.Empty;
        digest = [];
        var space = bytes.LastIndexOf((byte)' ');
        if (bytes.Length > SaslLimits.MaxIdentityLength || space <= 0 || bytes.Length - space - 1 != DigestHexLength
            || !SaslText.TryDecode(bytes[..space], out userName) || userName.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            digest = Convert.FromHexString(Encoding.ASCII.GetString(bytes[(space + 1)..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string NewChallenge(string serverName, TimeProvider time) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<{RandomNumberGenerator.GetInt32(int.MaxValue)}.{time.GetUtcNow().ToUnixTimeSeconds()}@{serverName}>");
}
