using System.Net;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;

namespace Postern.Tests.Policy.Golden;

/// <summary>
/// Runs one row of command-gate.cases: the real <see cref="RelayPolicy"/> asked, as the session
/// asks it before MAIL, whether a session on a listener with those requirements may go on.
/// </summary>
internal static class CommandGateDriver
{
    public static async Task<PolicyDecision> DecideAsync(GoldenCase row)
    {
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), new RelayPolicyOptions());
        var (listener, session, needs) = (Parts(row.Columns[0]), Parts(row.Columns[1]), Parts(row.Columns[2]));
        var facts = new SessionFacts(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000), new IPEndPoint(IPAddress.Loopback, 587), "submission", ListenerRole.Msa)
        {
            ListenerRequiresTls = listener.Contains("tls"),
            ListenerRequiresAuth = listener.Contains("auth"),
            Tls = session.Contains("tls") ? new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, new CertificateVerification(VerifyResult.No, VerifyFailure.None, null, null)) : null,
            SaslLogin = session.Contains("auth") ? "alice" : null,
        };
        var commandNeeds = (needs.Contains("tls") ? CommandNeeds.Tls : CommandNeeds.None)
            | (needs.Contains("auth") ? CommandNeeds.Authentication : CommandNeeds.None);
        return await policy.CheckCommandAsync(facts, "MAIL", commandNeeds, CancellationToken.None);
    }

    private static string[] Parts(string column) => column.Split('+');
}
