using System.Security.Cryptography;
using System.Text;
using Postern.Core.Auth;
using Postern.Protocol.Sasl.Client;
using Postern.Protocol.Sasl.Server;

namespace Postern.Tests.Protocol.Sasl.Server;

/// <summary>Users with every credential kind at test-fast iteration counts, and exchange drivers.</summary>
internal static class SaslTestSupport
{
    public const int FastIterations = 1000;

    public static readonly SaslServerSettings Settings = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())
    {
        DummyPasswordIterations = FastIterations,
    };

    public static UserRecord User(string name, string password, bool passwordEquivalent = true) => new(name)
    {
        PasswordHash = PasswordHash.Create(password, FastIterations),
        ScramSha1 = ScramCredentials.Derive(password, HashAlgorithmName.SHA1, iterations: 4096),
        ScramSha256 = ScramCredentials.Derive(password, HashAlgorithmName.SHA256, iterations: 4096),
        PasswordEquivalent = passwordEquivalent ? password : null,
    };

    public static SaslServerContext Context(IUserDirectory users, string serverName = "mx.example.org") => new(users, serverName);

    public static ISaslServerMechanism Create(string name, SaslServerContext context) =>
        new SaslServerMechanisms(Settings).Find(name)!.Create(context);

    public static async Task<SaslStep> StepAsync(ISaslServerMechanism mechanism, string? response) =>
        await StepAsync(mechanism, response is null ? null : Encoding.UTF8.GetBytes(response));

    // A null byte[] would convert to an empty ReadOnlyMemory, not to "no response": convert explicitly.
    public static async Task<SaslStep> StepAsync(ISaslServerMechanism mechanism, byte[]? response)
    {
        ReadOnlyMemory<byte>? value = null;
        if (response is not null)
        {
            value = response;
        }
        return await mechanism.StepAsync(value, CancellationToken.None);
    }

    public static string Text(SaslStep step) => Encoding.UTF8.GetString(step.Challenge.Span);

    /// <summary>Runs a client mechanism against a server mechanism to the end; the client's own check of the server's final data included.</summary>
    public static async Task<SaslStep> RunAsync(ISaslServerMechanism server, ISaslClientMechanism client)
    {
        var step = await StepAsync(server, client.InitialResponse());
        for (var i = 0; i < 5 && step.Kind == SaslStepKind.Challenge; i++)
        {
            step = await server.StepAsync(client.Respond(step.Challenge.Span), CancellationToken.None);
        }
        if (step.Kind == SaslStepKind.Success && !step.Challenge.IsEmpty)
        {
            client.Respond(step.Challenge.Span);
        }
        return step;
    }

    public static void AssertFailure(SaslStep step, SaslFailureReason reason)
    {
        Assert.Equal(SaslStepKind.Failure, step.Kind);
        Assert.Equal(reason, step.Failure!.Reason);
        Assert.Null(step.Identity);
    }

    public static void AssertSuccess(SaslStep step, string user)
    {
        Assert.True(step.Kind == SaslStepKind.Success, step.Failure?.Detail);
        Assert.Equal(new SaslIdentity(user, user), step.Identity);
    }
}
