using System.Text;
using Postern.Protocol.Sasl.Server;

namespace Postern.Fuzz.Targets;

/// <summary>
/// One SASL exchange on the server side. Input: the mechanism name on the first line, the
/// initial response on the second (an empty line: none), each later line one response (the
/// session's base64 already decoded). Every step answers; a finished exchange answers only
/// failure; success names the one user there is; a failure's log text never holds the password
/// unless the client sent it; a challenge stays within the response limit.
/// </summary>
internal static class SaslTarget
{
    private const int MaxSteps = 8;

    private static readonly byte[] ChannelBinding = [.. Enumerable.Repeat((byte)0x5E, 32)];

    private static readonly SaslUsers Users = new();

    private static readonly SaslServerSettings Settings = new(Encoding.ASCII.GetBytes("fuzzing-server-secret-32-bytes!!"))
    {
        DummyPasswordIterations = 64,
    };

    public static void Run(byte[] input)
    {
        var lines = InputLines.Split(input).Take(MaxSteps + 1).ToList();
        if (lines.Count == 0 || Create(Encoding.UTF8.GetString(lines[0].Span)) is not { } mechanism)
        {
            return;
        }
        var sentPassword = input.AsSpan().IndexOf(Encoding.UTF8.GetBytes(SaslUsers.Password)) >= 0;
        var finished = false;
        for (var i = 1; i < lines.Count; i++)
        {
            ReadOnlyMemory<byte>? response = i == 1 && lines[i].IsEmpty ? null : lines[i];
            var step = mechanism.StepAsync(response, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            FuzzInvariantException.Require(step is not null, "every step answers");
            if (finished)
            {
                FuzzInvariantException.Require(step!.Kind == SaslStepKind.Failure, "a finished exchange only fails");
                continue;
            }
            FuzzInvariantException.Require(step!.Challenge.Length <= 4096, "a challenge stays within the response limit");
            switch (step.Kind)
            {
                case SaslStepKind.Success:
                    FuzzInvariantException.Require(step.Identity is { AuthenticationId: SaslUsers.Name }, "success names the one user there is");
                    finished = true;
                    break;
                case SaslStepKind.Failure:
                    var failure = step.Failure ?? throw new FuzzInvariantException("a failure says why");
                    FuzzInvariantException.Require(sentPassword || !failure.Detail.Contains(SaslUsers.Password, StringComparison.Ordinal), "a failure's log text holds no secret");
                    ReplyChecks.RequireNoControl(failure.Detail, "a failure's log text");
                    finished = true;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The mechanism by name, with fixed nonces and challenges so the same input takes the same path.</summary>
    public static ISaslServerMechanism? Create(string name)
    {
        var context = new SaslServerContext(Users, "mx.test")
        {
            IsTls = true,
            TlsExporter = ChannelBinding,
            TlsServerEndPoint = ChannelBinding,
            ExternalIdentity = SaslUsers.Name,
            ServerAddresses = ["192.0.2.25"],
            OfferedMechanisms = SaslServerMechanisms.Names,
        };
        var scram = new[] { ScramVariant.Sha1, ScramVariant.Sha1Plus, ScramVariant.Sha256, ScramVariant.Sha256Plus }
            .FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
        if (scram is not null)
        {
            return new ScramServerMechanism(scram, context, Settings, "fuzz-server-nonce");
        }
        return name.ToUpperInvariant() switch
        {
            CramMd5ServerMechanism.MechanismName => new CramMd5ServerMechanism(context, "<1896.697170952@mx.test>"),
            DigestMd5ServerMechanism.MechanismName => new DigestMd5ServerMechanism(context, "OA6MG9tEQGm2hh", "smtp"),
            _ => new SaslServerMechanisms(Settings).Find(name)?.Create(context),
        };
    }
}
