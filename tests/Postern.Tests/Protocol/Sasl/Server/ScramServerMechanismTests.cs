using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Postern.Core.Auth;
using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class ScramServerMechanismTests
{
    private static readonly byte[] Exporter = Enumerable.Repeat((byte)0xE1, 32).ToArray();
    private static readonly byte[] EndPoint = Enumerable.Repeat((byte)0x5E, 32).ToArray();

    private readonly FakeUserDirectory _users = new(User("alice", "correct horse"), new UserRecord("hashonly") { PasswordHash = PasswordHash.Create("pw", FastIterations) });

    private SaslServerContext TlsContext(IReadOnlyCollection<string>? offered = null) =>
        Context(_users) with { IsTls = true, TlsExporter = Exporter, TlsServerEndPoint = EndPoint, OfferedMechanisms = offered };

    [Fact]
    public async Task Rfc_5802_scram_sha_1_example()
    {
        var user = new UserRecord("user")
        {
            ScramSha1 = ScramCredentials.Derive("pencil", HashAlgorithmName.SHA1, Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096),
        };
        var scram = new ScramServerMechanism(ScramVariant.Sha1, Context(new FakeUserDirectory(user)), Settings, "3rfcNHYJY1ZVvWVs7j");
        var first = await StepAsync(scram, "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        Assert.Equal("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", Text(first));
        var final = await StepAsync(scram, "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        AssertSuccess(final, "user");
        Assert.Equal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", Text(final));
    }

    [Fact]
    public async Task Rfc_7677_scram_sha_256_example()
    {
        var user = new UserRecord("user")
        {
            ScramSha256 = ScramCredentials.Derive("pencil", HashAlgorithmName.SHA256, Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096),
        };
        var scram = new ScramServerMechanism(ScramVariant.Sha256, Context(new FakeUserDirectory(user)), Settings, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        var first = await StepAsync(scram, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Text(first));
        var final = await StepAsync(scram, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        AssertSuccess(final, "user");
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Text(final));
    }

    [Fact]
    public async Task Round_trip_with_the_client_mechanism_verifies_the_server()
    {
        var client = new ScramSha256ClientMechanism(new SaslClientCredentials("alice", "correct horse"));
        AssertSuccess(await RunAsync(Create("SCRAM-SHA-256", Context(_users)), client), "alice");
        Assert.True(client.ServerVerified);
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Own_client_round_trip_for_both_hashes(string name)
    {
        AssertSuccess(await ExchangeAsync(Create(name, Context(_users)), "n,,", [], "alice", "correct horse"), "alice");
    }

    [Fact]
    public async Task Wrong_password_is_an_invalid_proof()
    {
        var step = await RunAsync(Create("SCRAM-SHA-256", Context(_users)), new ScramSha256ClientMechanism(new SaslClientCredentials("alice", "wrong")));
        AssertFailure(step, SaslFailureReason.BadCredentials);
        Assert.Equal("SCRAM-SHA-256: e=invalid-proof", step.Failure!.Detail);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("hashonly")]
    public async Task Unknown_users_get_a_stable_fake_salt_and_fail_like_a_wrong_password(string name)
    {
        var first1 = Text(await StepAsync(Create("SCRAM-SHA-256", Context(_users)), $"n,,n={name},r=abc"));
        var first2 = Text(await StepAsync(Create("SCRAM-SHA-256", Context(_users)), $"n,,n={name.ToUpperInvariant()},r=abc"));
        var other = Text(await StepAsync(Create("SCRAM-SHA-256", Context(_users)), "n,,n=someone-else,r=abc"));
        Assert.Equal(Field(first1, 's'), Field(first2, 's'));
        Assert.NotEqual(Field(first1, 's'), Field(other, 's'));
        Assert.Equal(16, Convert.FromBase64String(Field(first1, 's')).Length);
        Assert.Equal(ScramCredentials.DefaultIterationsSha256.ToString(CultureInfo.InvariantCulture), Field(first1, 'i'));

        var unknown = await RunAsync(Create("SCRAM-SHA-256", Context(_users)), new ScramSha256ClientMechanism(new SaslClientCredentials(name, "pw")));
        var wrong = await RunAsync(Create("SCRAM-SHA-256", Context(_users)), new ScramSha256ClientMechanism(new SaslClientCredentials("alice", "pw")));
        AssertFailure(unknown, SaslFailureReason.BadCredentials);
        Assert.Equal(wrong.Failure!.Detail, unknown.Failure!.Detail);
    }

    [Fact]
    public async Task A_real_salt_looks_like_a_fake_one()
    {
        var real = Text(await StepAsync(Create("SCRAM-SHA-256", Context(_users)), "n,,n=alice,r=abc"));
        Assert.Equal(16, Convert.FromBase64String(Field(real, 's')).Length);
    }

    [Theory]
    [InlineData("tls-exporter")]
    [InlineData("tls-server-end-point")]
    public async Task Plus_binds_to_the_tls_channel(string type)
    {
        var data = type == "tls-exporter" ? Exporter : EndPoint;
        var step = await ExchangeAsync(Create("SCRAM-SHA-256-PLUS", TlsContext()), $"p={type},,", data, "alice", "correct horse");
        AssertSuccess(step, "alice");
        AssertSuccess(await ExchangeAsync(Create("SCRAM-SHA-1-PLUS", TlsContext()), $"p={type},,", data, "alice", "correct horse"), "alice");
    }

    [Fact]
    public async Task Plus_with_another_channels_binding_data_fails()
    {
        // A man in the middle terminates TLS: the client's exporter value is not ours.
        var step = await ExchangeAsync(Create("SCRAM-SHA-256-PLUS", TlsContext()), "p=tls-exporter,,", Enumerable.Repeat((byte)1, 32).ToArray(), "alice", "correct horse");
        AssertFailure(step, SaslFailureReason.ChannelBindingMismatch);
        var swapped = await ExchangeAsync(Create("SCRAM-SHA-256-PLUS", TlsContext()), "p=tls-exporter,,", EndPoint, "alice", "correct horse");
        AssertFailure(swapped, SaslFailureReason.ChannelBindingMismatch);
    }

    [Fact]
    public async Task A_gs2_header_changed_between_messages_fails()
    {
        var scram = Create("SCRAM-SHA-256", Context(_users));
        var first = Text(await StepAsync(scram, "n,,n=alice,r=abc"));
        var final = ClientFinal(HashAlgorithmName.SHA256, "correct horse", "y,,", [], "n=alice,r=abc", first, out _);
        AssertFailure(await StepAsync(scram, final), SaslFailureReason.ChannelBindingMismatch);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "p=tls-exporter,,")] // p= only in -PLUS
    [InlineData("SCRAM-SHA-256-PLUS", "n,,")] // -PLUS must bind
    [InlineData("SCRAM-SHA-256-PLUS", "y,,")]
    [InlineData("SCRAM-SHA-256-PLUS", "p=tls-unique,,")]
    [InlineData("SCRAM-SHA-256", "y,,")] // -PLUS offered (implied by the binding data): a downgrade
    public async Task Channel_binding_flag_rules(string mechanism, string gs2Header)
    {
        var step = await StepAsync(Create(mechanism, TlsContext()), gs2Header + "n=alice,r=abc");
        AssertFailure(step, SaslFailureReason.ChannelBindingMismatch);
    }

    [Fact]
    public async Task The_y_flag_is_accepted_when_no_plus_variant_was_offered()
    {
        var offered = new[] { "SCRAM-SHA-256", "PLAIN" };
        AssertSuccess(await ExchangeAsync(Create("SCRAM-SHA-256", TlsContext(offered)), "y,,", [], "alice", "correct horse"), "alice");
        AssertSuccess(await ExchangeAsync(Create("SCRAM-SHA-256", Context(_users)), "y,,", [], "alice", "correct horse"), "alice");
        var plusOffered = new[] { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256" };
        AssertFailure(await StepAsync(Create("SCRAM-SHA-256", TlsContext(plusOffered)), "y,,n=alice,r=abc"), SaslFailureReason.ChannelBindingMismatch);
    }

    [Fact]
    public async Task Plus_is_only_available_with_binding_data()
    {
        var plus = new SaslServerMechanisms(Settings).Find("scram-sha-256-plus")!;
        Assert.False(plus.IsAvailable(Context(_users)));
        Assert.False(plus.IsAvailable(Context(_users) with { IsTls = true }));
        Assert.True(plus.IsAvailable(Context(_users) with { IsTls = true, TlsServerEndPoint = EndPoint }));
        var missing = await StepAsync(Create("SCRAM-SHA-256-PLUS", Context(_users) with { IsTls = true, TlsServerEndPoint = EndPoint }), "p=tls-exporter,,n=alice,r=abc");
        AssertFailure(missing, SaslFailureReason.ChannelBindingMismatch);
    }

    [Theory]
    [InlineData("n,a=bob,", SaslFailureReason.AuthorizationRefused)]
    [InlineData("n,a=alice,", null)]
    [InlineData("n,a=ALICE,", null)]
    public async Task Authorization_identity(string gs2Header, SaslFailureReason? reason)
    {
        var step = await ExchangeAsync(Create("SCRAM-SHA-256", Context(_users)), gs2Header, [], "alice", "correct horse");
        if (reason is null)
        {
            AssertSuccess(step, "alice");
        }
        else
        {
            AssertFailure(step, reason.Value);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("n,,")]
    [InlineData("n,,m=ext,n=alice,r=abc")]
    [InlineData("n,,n=al=ice,r=abc")]
    [InlineData("n,,n=,r=abc")]
    [InlineData("n,,n=alice")]
    [InlineData("n,,n=alice,r=")]
    [InlineData("n,,r=abc,n=alice")]
    [InlineData("x,,n=alice,r=abc")]
    [InlineData("n,b=bob,n=alice,r=abc")]
    [InlineData("n")]
    public async Task Malformed_client_first_messages(string message)
    {
        AssertFailure(await StepAsync(Create("SCRAM-SHA-256", Context(_users)), message), SaslFailureReason.Malformed);
    }

    [Theory]
    [InlineData("c=biws,r={nonce}")]
    [InlineData("c=biws,r={nonce},p=!!!")]
    [InlineData("c=!!,r={nonce},p=AAAA")]
    [InlineData("r={nonce},c=biws,p=AAAA")]
    [InlineData("c=biws,r={nonce}x,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")]
    public async Task Malformed_client_final_messages(string template)
    {
        var scram = Create("SCRAM-SHA-256", Context(_users));
        var nonce = Field(Text(await StepAsync(scram, "n,,n=alice,r=abc")), 'r');
        AssertFailure(await StepAsync(scram, template.Replace("{nonce}", nonce, StringComparison.Ordinal)), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task Escaped_user_names_are_decoded()
    {
        var users = new FakeUserDirectory(User("a,b=c", "pw"));
        var step = await ExchangeAsync(Create("SCRAM-SHA-256", Context(users)), "n,,", [], "a=2Cb=3Dc", "pw");
        AssertSuccess(step, "a,b=c");
    }

    [Fact]
    public async Task Without_an_initial_response_an_empty_challenge_asks_for_it()
    {
        var scram = Create("SCRAM-SHA-256", Context(_users));
        var step = await StepAsync(scram, (string?)null);
        Assert.Equal(SaslStepKind.Challenge, step.Kind);
        Assert.True(step.Challenge.IsEmpty);
        AssertSuccess(await RunAfterAsync(scram), "alice");
    }

    private static async Task<SaslStep> RunAfterAsync(ISaslServerMechanism scram) =>
        await RunAsync(scram, new ScramSha256ClientMechanism(new SaslClientCredentials("alice", "correct horse")));

    /// <summary>A whole exchange with any gs2 header and binding data; checks the server signature on success.</summary>
    private static async Task<SaslStep> ExchangeAsync(ISaslServerMechanism scram, string gs2Header, byte[] bindingData, string escapedName, string password)
    {
        var hash = scram.Name.StartsWith("SCRAM-SHA-1", StringComparison.Ordinal) ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var bare = $"n={escapedName},r=cl1entn0nce";
        var first = await StepAsync(scram, gs2Header + bare);
        if (first.Kind != SaslStepKind.Challenge)
        {
            return first;
        }
        var final = await StepAsync(scram, ClientFinal(hash, password, gs2Header, bindingData, bare, Text(first), out var serverSignature));
        if (final.Kind == SaslStepKind.Success)
        {
            Assert.Equal("v=" + Convert.ToBase64String(serverSignature), Text(final));
        }
        return final;
    }

    private static string ClientFinal(HashAlgorithmName hash, string password, string gs2Header, byte[] bindingData, string clientFirstBare, string serverFirst, out byte[] serverSignature)
    {
        var salted = ScramCredentials.SaltedPassword(password, Convert.FromBase64String(Field(serverFirst, 's')), int.Parse(Field(serverFirst, 'i'), CultureInfo.InvariantCulture), hash);
        var clientKey = ScramCredentials.Hmac(hash, salted, "Client Key"u8);
        var storedKey = ScramCredentials.Hash(hash, clientKey);
        var withoutProof = "c=" + Convert.ToBase64String([.. Encoding.UTF8.GetBytes(gs2Header), .. bindingData]) + ",r=" + Field(serverFirst, 'r');
        var authMessage = Encoding.UTF8.GetBytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        var signature = ScramCredentials.Hmac(hash, storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        serverSignature = ScramCredentials.Hmac(hash, ScramCredentials.Hmac(hash, salted, "Server Key"u8), authMessage);
        return withoutProof + ",p=" + Convert.ToBase64String(proof);
    }

    private static string Field(string message, char name) =>
        message.Split(',').First(p => p.Length >= 2 && p[0] == name && p[1] == '=')[2..];
}
