using System.Security.Cryptography;
using System.Text;
using Postern.Core.Auth;

namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// RFC 5802 / RFC 7677 SCRAM, server side, with RFC 5056 channel binding for the -PLUS forms
/// (tls-exporter, RFC 9266; tls-server-end-point, RFC 5929). Unknown users get a salt derived from
/// the server secret and their name, so the server-first message does not reveal whether they
/// exist; they fail at the proof like a wrong password.
/// </summary>
internal sealed class ScramServerMechanism : ISaslServerMechanism
{
    private const string TlsExporter = "tls-exporter";
    private const string TlsServerEndPoint = "tls-server-end-point";

    private readonly ScramVariant _variant;
    private readonly SaslServerContext _context;
    private readonly SaslServerSettings _settings;
    private readonly string _serverNonce;
    private Stage _stage;
    private string _gs2Header = string.Empty;
    private byte[] _channelBinding = [];
    private string _clientFirstBare = string.Empty;
    private string _serverFirst = string.Empty;
    private string _nonce = string.Empty;
    private string _claimedName = string.Empty;
    private string? _authorizationId;
    private UserRecord? _user;
    private ScramCredential? _credential;

    public ScramServerMechanism(ScramVariant variant, SaslServerContext context, SaslServerSettings settings)
        : this(variant, context, settings, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)))
    {
    }

    /// <summary>With a fixed server nonce part, for the RFC test vectors.</summary>
    internal ScramServerMechanism(ScramVariant variant, SaslServerContext context, SaslServerSettings settings, string serverNonce)
    {
        _variant = variant;
        _context = context;
        _settings = settings;
        _serverNonce = serverNonce;
    }

    private enum Stage
    {
        ClientFirst,
        ClientFinal,
        Done,
    }

    public string Name => _variant.Name;

    public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
    {
        switch (_stage)
        {
            case Stage.ClientFirst when response is null:
                return SaslStep.Continue(ReadOnlyMemory<byte>.Empty); // the client speaks first
            case Stage.ClientFirst:
                _stage = Stage.ClientFinal;
                var first = await ClientFirstAsync(response.Value, cancellationToken).ConfigureAwait(false);
                if (first.Kind != SaslStepKind.Challenge)
                {
                    _stage = Stage.Done;
                }
                return first;
            case Stage.ClientFinal:
                _stage = Stage.Done;
                return ClientFinal((response ?? ReadOnlyMemory<byte>.Empty).Span);
            default:
                return SaslOutcomes.AlreadyComplete(Name);
        }
    }

    private async ValueTask<SaslStep> ClientFirstAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > SaslLimits.MaxResponseBytes || !SaslText.TryDecode(bytes.Span, out var message))
        {
            return ScramError.Fail(Name, "invalid-encoding");
        }
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        var firstComma = message.IndexOf(',', StringComparison.Ordinal);
        var secondComma = firstComma < 0 ? -1 : message.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            return ScramError.Fail(Name, "invalid-encoding");
        }
        var flag = message[..firstComma];
        var authzidPart = message[(firstComma + 1)..secondComma];
        _gs2Header = message[..(secondComma + 1)];
        _clientFirstBare = message[(secondComma + 1)..];
        if (ChannelBindingProblem(flag) is { } error)
        {
            return ScramError.Fail(Name, error);
        }
        if (authzidPart.Length > 0)
        {
            _authorizationId = ScramSyntax.Attribute(authzidPart, 'a') is { } a ? ScramSyntax.DecodeSaslName(a) : null;
            if (_authorizationId is null)
            {
                return ScramError.Fail(Name, "invalid-encoding");
            }
        }
        var parts = _clientFirstBare.Split(',');
        if (ScramSyntax.Attribute(parts[0], 'm') is not null)
        {
            return ScramError.Fail(Name, "extensions-not-supported");
        }
        var name = ScramSyntax.Attribute(parts[0], 'n') is { } n ? ScramSyntax.DecodeSaslName(n) : null;
        if (name is null || name.Length > SaslLimits.MaxIdentityLength)
        {
            return ScramError.Fail(Name, "invalid-username-encoding");
        }
        var clientNonce = parts.Length >= 2 ? ScramSyntax.Attribute(parts[1], 'r') : null;
        if (clientNonce is null || !ScramSyntax.IsPrintable(clientNonce) || !parts.Skip(2).All(ScramSyntax.IsAttribute))
        {
            return ScramError.Fail(Name, "invalid-encoding");
        }
        _claimedName = name;
        var (user, failure) = await UserLookup.FindAsync(Name, _context, name, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        _user = user;
        _credential = _variant.Hash == HashAlgorithmName.SHA1 ? user?.ScramSha1 : user?.ScramSha256;
        var (salt, iterations) = _credential is { } c ? (c.Salt, c.Iterations) : (FakeSalt(name), ScramCredentials.DefaultIterations(_variant.Hash));
        _nonce = clientNonce + _serverNonce;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return SaslStep.Continue(Encoding.UTF8.GetBytes(_serverFirst));
    }

    /// <summary>The RFC 5802 error value for the gs2-cbind-flag, or null when it is acceptable; sets the expected binding data.</summary>
    private string? ChannelBindingProblem(string flag)
    {
        if (flag is "n")
        {
            return _variant.Plus ? "channel-binding-not-supported" : null;
        }
        if (flag is "y")
        {
            // The client could bind but thinks we cannot: if we offered -PLUS, someone removed it.
            return _variant.Plus ? "channel-binding-not-supported" : ServerOffersPlus() ? "server-does-support-channel-binding" : null;
        }
        if (ScramSyntax.Attribute(flag, 'p') is not { } type || !ScramSyntax.IsChannelBindingName(type))
        {
            return "invalid-encoding";
        }
        if (!_variant.Plus)
        {
            return "channel-binding-not-supported"; // p= belongs to the -PLUS mechanisms only
        }
        var data = type switch
        {
            TlsExporter => _context.TlsExporter,
            TlsServerEndPoint => _context.TlsServerEndPoint,
            _ => null,
        };
        if (data is null || !_context.IsTls)
        {
            return "unsupported-channel-binding-type";
        }
        _channelBinding = data;
        return null;
    }

    private bool ServerOffersPlus() => _context.OfferedMechanisms is { } offered
        ? offered.Any(m => m.EndsWith("-PLUS", StringComparison.OrdinalIgnoreCase))
        : _context.IsTls && (_context.TlsExporter is not null || _context.TlsServerEndPoint is not null);

    private SaslStep ClientFinal(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > SaslLimits.MaxResponseBytes || !SaslText.TryDecode(bytes, out var message))
        {
            return ScramError.Fail(Name, "invalid-encoding", _claimedName);
        }
        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return ScramError.Fail(Name, "invalid-encoding", _claimedName);
        }
        var withoutProof = message[..proofAt];
        var parts = withoutProof.Split(',');
        var binding = ScramSyntax.Attribute(parts[0], 'c') is { } c ? ScramSyntax.DecodeBase64(c) : null;
        var nonce = parts.Length >= 2 ? ScramSyntax.Attribute(parts[1], 'r') : null;
        var proof = ScramSyntax.DecodeBase64(message[(proofAt + 3)..]);
        if (binding is null || nonce is null || proof is null || !parts.Skip(2).All(ScramSyntax.IsAttribute))
        {
            return ScramError.Fail(Name, "invalid-encoding", _claimedName);
        }
        if (!CryptographicOperations.FixedTimeEquals(binding, [.. Encoding.UTF8.GetBytes(_gs2Header), .. _channelBinding]))
        {
            return ScramError.Fail(Name, "channel-bindings-dont-match", _claimedName);
        }
        if (!string.Equals(nonce, _nonce, StringComparison.Ordinal))
        {
            return ScramError.Fail(Name, "other-error", _claimedName);
        }
        if (proof.Length != ScramCredentials.HashLength(_variant.Hash))
        {
            return ScramError.Fail(Name, "invalid-proof", _claimedName);
        }
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        // Unknown users run the same HMACs against random keys, then fail.
        var hashLength = proof.Length;
        var storedKey = _credential?.StoredKey ?? RandomNumberGenerator.GetBytes(hashLength);
        var serverKey = _credential?.ServerKey ?? RandomNumberGenerator.GetBytes(hashLength);
        var clientSignature = ScramCredentials.Hmac(_variant.Hash, storedKey, authMessage);
        var clientKey = new byte[hashLength];
        for (var i = 0; i < hashLength; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }
        var verified = CryptographicOperations.FixedTimeEquals(ScramCredentials.Hash(_variant.Hash, clientKey), storedKey);
        if (!verified || _credential is null || _user is null)
        {
            return ScramError.Fail(Name, "invalid-proof", _claimedName);
        }
        var serverSignature = ScramCredentials.Hmac(_variant.Hash, serverKey, authMessage);
        return SaslOutcomes.Authorize(Name, _user.Name, _authorizationId, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    /// <summary>
    /// A salt for a user without SCRAM keys: the same for the same (case-folded) name every time, so
    /// asking twice does not reveal that it is made up, and unguessable without the server secret.
    /// </summary>
    private byte[] FakeSalt(string name) =>
        HMACSHA256.HashData(_settings.Secret.Span, Encoding.UTF8.GetBytes("postern-scram-salt\0" + _variant.Hash.Name + "\0" + name.ToUpperInvariant()))[..ScramCredentials.SaltLength];
}
