using Postern.Protocol.Sasl.Client;

namespace Postern.Tools.Check;

/// <summary>
/// One AUTH exchange (RFC 4954) with the strongest offered mechanism the client implements and
/// that is safe on the connection (PLAIN and LOGIN only over TLS). The password goes only to the
/// mechanism; nothing here prints it.
/// </summary>
internal static class SaslExchange
{
    private const int MaxSteps = 10;

    public static async Task<AuthAttemptResult> RunAsync(
        ProbeConnection connection, IReadOnlyList<string> offered, SaslClientCredentials credentials, bool tls, CancellationToken cancellationToken)
    {
        if (offered.Count == 0)
        {
            return new AuthAttemptResult(credentials.UserName, null, false, "AUTH is not offered here");
        }
        var name = SaslClientMechanisms.Choose(offered.ToHashSet(StringComparer.Ordinal), null, tls);
        if (name is null)
        {
            var why = !tls && offered.Any(SaslClientMechanisms.SendsPasswordInClear)
                ? "not attempted: only PLAIN/LOGIN-style mechanisms usable, and they would send the password in clear"
                : $"not attempted: none of {string.Join(' ', offered)} is one the checker implements ({string.Join(' ', SaslClientMechanisms.Preference)})";
            return new AuthAttemptResult(credentials.UserName, null, false, why);
        }
        var mechanism = SaslClientMechanisms.Create(name, credentials);
        try
        {
            var initial = mechanism.InitialResponse();
            var command = "AUTH " + name + (initial is null ? string.Empty : " " + (initial.Length == 0 ? "=" : Convert.ToBase64String(initial)));
            var reply = await connection.CommandAsync(command, cancellationToken);
            for (var step = 0; reply.Code == 334; step++)
            {
                if (step >= MaxSteps)
                {
                    await connection.CommandAsync("*", cancellationToken);
                    return new AuthAttemptResult(credentials.UserName, name, false, "too many challenges");
                }
                byte[] challenge;
                try
                {
                    challenge = Convert.FromBase64String(string.Join(string.Empty, reply.Lines).Trim());
                }
                catch (FormatException)
                {
                    await connection.CommandAsync("*", cancellationToken);
                    return new AuthAttemptResult(credentials.UserName, name, false, "the server's challenge is not base64");
                }
                byte[] response;
                try
                {
                    response = mechanism.Respond(challenge);
                }
                catch (SaslClientException e)
                {
                    // "*" cancels the exchange (RFC 4954 4); the server answers 501.
                    await connection.CommandAsync("*", cancellationToken);
                    return new AuthAttemptResult(credentials.UserName, name, false, e.Message);
                }
                reply = await connection.CommandAsync(Convert.ToBase64String(response), cancellationToken);
            }
            var facts = ReplyFacts.From(reply);
            if (reply.Code != 235)
            {
                return new AuthAttemptResult(credentials.UserName, name, false, facts.ToString());
            }
            return mechanism.ServerVerified
                ? new AuthAttemptResult(credentials.UserName, name, true, facts.ToString())
                : new AuthAttemptResult(credentials.UserName, name, false, "the server said " + facts + " but did not prove it knows the password");
        }
        catch (SaslClientException e)
        {
            return new AuthAttemptResult(credentials.UserName, name, false, e.Message);
        }
    }
}
