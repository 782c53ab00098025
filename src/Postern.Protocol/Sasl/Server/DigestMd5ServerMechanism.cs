using System.Security.Cryptography;
using System.Text;

namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// RFC 2831 DIGEST-MD5, authentication only (qop=auth, no integrity or confidentiality layer), one
/// exchange per nonce (nc=00000001, no subsequent authentication). The realm is the server name
/// and the digest-uri must be <c>smtp/&lt;server name&gt;</c> or <c>smtp/&lt;the address the client
/// connected to&gt;</c>. Needs the password-equivalent secret.
/// The server proves itself with rspauth in the success step's final data.
/// </summary>
internal sealed class DigestMd5ServerMechanism : ISaslServerMechanism
{
    public const string MechanismName = "DIGEST-MD5";

    private const string FirstNonceCount = "00000001";

    private readonly SaslServerContext _context;
    private readonly string _nonce;
    private readonly string _serviceType;
    private bool _challenged;
    private bool _done;

    public DigestMd5ServerMechanism(SaslServerContext context)
        : this(context, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)), "smtp")
    {
    }

    /// <summary>With a fixed nonce and service, for the RFC's (IMAP) example.</summary>
    internal DigestMd5ServerMechanism(SaslServerContext context, string nonce, string serviceType)
    {
        _context = context;
        _nonce = nonce;
        _serviceType = serviceType;
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
            return SaslStep.Continue(Encoding.UTF8.GetBytes(
                $"realm=\"{_context.ServerName}\",nonce=\"{_nonce}\",qop=\"auth\",charset=utf-8,algorithm=md5-sess"));
        }
        _done = true;
        var bytes = (response ?? ReadOnlyMemory<byte>.Empty).Span;
        if (bytes.Length > SaslLimits.MaxResponseBytes)
        {
            return SaslOutcomes.Malformed(Name, "response too long");
        }
        if (!TryRead(bytes, out var digestResponse, out var problem))
        {
            return SaslOutcomes.Malformed(Name, problem);
        }
        return await VerifyAsync(digestResponse, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SaslStep> VerifyAsync(DigestResponse r, CancellationToken cancellationToken)
    {
        var (user, failure) = await UserLookup.FindAsync(Name, _context, r.UserName, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        // Unknown users and users without the secret cost the same digest, against a random secret.
        var secret = user?.PasswordEquivalent ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var expected = DigestMd5Digest.Compute(r.UserName, r.Realm, secret, _nonce, r.ClientNonce, FirstNonceCount, r.DigestUri, r.AuthorizationId, serverProof: false);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(r.Response.ToLowerInvariant()));
        if (!matches || user?.PasswordEquivalent is null)
        {
            return SaslOutcomes.BadCredentials(Name, r.UserName);
        }
        var rspauth = DigestMd5Digest.Compute(r.UserName, r.Realm, secret, _nonce, r.ClientNonce, FirstNonceCount, r.DigestUri, r.AuthorizationId, serverProof: true);
        return SaslOutcomes.Authorize(Name, user.Name, r.AuthorizationId, Encoding.ASCII.GetBytes("rspauth=" + rspauth));
    }

    private bool TryRead(ReadOnlySpan<byte> bytes, out DigestResponse response, out string problem)
    {
        response = null!;
        // Latin-1 maps each byte to one char, so the list parses whatever the charset; UTF-8 values are re-decoded below.
        var directives = DigestMd5Directives.Parse(Encoding.Latin1.GetString(bytes), out problem);
        if (directives is null)
        {
            return false;
        }
        var utf8 = directives.TryGetValue("charset", out var charset);
        if (utf8 && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            problem = "charset must be utf-8";
            return false;
        }
        if (!directives.TryGetValue("username", out var userName) || !directives.TryGetValue("nonce", out var nonce)
            || !directives.TryGetValue("cnonce", out var clientNonce) || !directives.TryGetValue("nc", out var nonceCount)
            || !directives.TryGetValue("digest-uri", out var digestUri) || !directives.TryGetValue("response", out var digest))
        {
            problem = "username, nonce, cnonce, nc, digest-uri and response are required";
            return false;
        }
        directives.TryGetValue("realm", out var realm);
        directives.TryGetValue("authzid", out var authorizationId);
        string? decodedUser = userName;
        if (utf8 && !(Redecode(ref decodedUser) && Redecode(ref realm) && Redecode(ref authorizationId)))
        {
            problem = "charset=utf-8 but a value is not UTF-8";
            return false;
        }
        userName = decodedUser!;
        problem = Check(userName, realm, nonce, clientNonce, nonceCount, digestUri, digest, directives.GetValueOrDefault("qop"));
        if (problem.Length > 0)
        {
            return false;
        }
        response = new DigestResponse(userName, realm ?? string.Empty, clientNonce, digestUri, digest, authorizationId);
        return true;
    }

    private string Check(string userName, string? realm, string nonce, string clientNonce, string nonceCount, string digestUri, string digest, string? qop)
    {
        if (userName.Length is 0 or > SaslLimits.MaxIdentityLength || clientNonce.Length == 0)
        {
            return "empty or over-long username or cnonce";
        }
        if (realm is not null && !string.Equals(realm, _context.ServerName, StringComparison.OrdinalIgnoreCase))
        {
            return "realm is not the one offered";
        }
        if (!string.Equals(nonce, _nonce, StringComparison.Ordinal))
        {
            return "nonce is not the one offered";
        }
        if (nonceCount != FirstNonceCount)
        {
            return "nc must be 00000001 (no subsequent authentication)";
        }
        if (qop is not null && qop != "auth")
        {
            return "only qop=auth is offered";
        }
        if (!IsOurDigestUri(digestUri))
        {
            return $"digest-uri must be {_serviceType}/{_context.ServerName}" + string.Concat(_context.ServerAddresses.Select(a => $" or {_serviceType}/{a}"));
        }
        if (digest.Length != 32 || !digest.All(char.IsAsciiHexDigit))
        {
            return "response must be 32 hex digits";
        }
        return string.Empty;
    }

    // digest-uri = serv-type "/" host [ "/" serv-name ]. Clients given an address rather than a name
    // (swaks --server 127.0.0.1, Authen::SASL) send that address as host, bracketed or not.
    private bool IsOurDigestUri(string digestUri)
    {
        var parts = digestUri.Split('/');
        if (parts.Length is not (2 or 3) || !string.Equals(parts[0], _serviceType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var host = parts[1];
        if (string.Equals(host, _context.ServerName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }
        return _context.ServerAddresses.Contains(host, StringComparer.OrdinalIgnoreCase);
    }

    private static bool Redecode(ref string? value)
    {
        if (value is null)
        {
            return true;
        }
        if (!SaslText.TryDecode(Encoding.Latin1.GetBytes(value), out var decoded))
        {
            return false;
        }
        value = decoded;
        return true;
    }

    private sealed record DigestResponse(string UserName, string Realm, string ClientNonce, string DigestUri, string Response, string? AuthorizationId);
}
