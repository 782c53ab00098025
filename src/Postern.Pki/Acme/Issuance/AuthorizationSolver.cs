using Postern.Pki.Acme.Challenges;
using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// Proves one name of an order: picks the configured challenge type among those the server
/// offers, publishes it, tells the server, and polls the authorization until it is valid or
/// invalid; what was published is withdrawn whatever happens.
/// </summary>
internal sealed class AuthorizationSolver(IAcmeProtocol protocol, IAcmeChallengeResponder responder, TimeProvider clock)
{
    /// <summary>How long withdrawing may take after the order's own deadline has passed.</summary>
    public static readonly TimeSpan WithdrawDeadline = TimeSpan.FromSeconds(30);

    public async Task SolveAsync(Uri authorizationUrl, CancellationToken cancellationToken)
    {
        var authorization = await protocol.GetAuthorizationAsync(authorizationUrl, cancellationToken);
        if (authorization.Status == "valid")
        {
            return; // Proven recently (the server reuses authorizations).
        }
        var name = Describe(authorization);
        if (authorization.Status != "pending")
        {
            throw new AcmeException($"the authorization for {name} is {authorization.Status}");
        }
        var type = AcmeChallengeNames.Wire(responder.Type);
        var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == type)
            ?? throw new AcmeException($"the server offers no {type} challenge for {name} (it offers {string.Join(", ", authorization.Challenges.Select(c => c.Type))}); set acme.challenge to one of those");
        var keyAuthorization = protocol.KeyAuthorization(challenge.Token);
        try
        {
            await responder.PublishAsync(authorization.Identifier, challenge.Token, keyAuthorization, cancellationToken);
            await protocol.AnswerChallengeAsync(challenge.Url, cancellationToken);
            await WaitForValidAsync(authorization, type, name, cancellationToken);
        }
        finally
        {
            using var withdrawDeadline = new CancellationTokenSource(WithdrawDeadline, clock);
            await responder.WithdrawAsync(authorization.Identifier, challenge.Token, withdrawDeadline.Token);
        }
    }

    private async Task WaitForValidAsync(AcmeAuthorization authorization, string type, string name, CancellationToken cancellationToken)
    {
        var retryAfter = authorization.RetryAfter;
        while (true)
        {
            await AcmePolling.WaitAsync(retryAfter, clock, cancellationToken);
            var current = await protocol.GetAuthorizationAsync(authorization.Location, cancellationToken);
            switch (current.Status)
            {
                case "valid":
                    return;
                case "pending":
                    retryAfter = current.RetryAfter;
                    continue;
                default:
                    var problem = current.Challenges.FirstOrDefault(c => c.Type == type)?.Error;
                    throw new AcmeException(
                        problem is null ? $"{type} for {name}: the authorization is {current.Status}" : $"{type} for {name} failed: {problem}",
                        problem);
            }
        }
    }

    private static string Describe(AcmeAuthorization authorization) =>
        authorization.Wildcard ? "*." + authorization.Identifier : authorization.Identifier;
}
