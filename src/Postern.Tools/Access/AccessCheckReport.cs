using System.Net;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy.Restrictions;

namespace Postern.Tools.Access;

/// <summary>Prints the trace of <c>postern access check</c>: one block per stage, one line per restriction, then the decision.</summary>
internal sealed class AccessCheckReport(TextWriter output)
{
    private int _refused;

    public void Header(IPAddress client, string listener, string endPoint, string? accessMap, TlsFacts? tls, string? user)
    {
        output.WriteLine($"client [{client}] on listener {listener} ({endPoint})");
        output.WriteLine("access map: " + (accessMap ?? "none (policy.access_map not set)"));
        if (tls is null)
        {
            output.WriteLine("tls: none");
        }
        else
        {
            var peer = tls.Peer;
            output.WriteLine($"tls: {tls.Version}, bits={tls.Bits}, verify={peer.Word}{(peer.Reason is { } reason ? " (" + reason + ")" : "")}");
            if (peer.Certificate is { } certificate)
            {
                output.WriteLine("  cert subject: " + certificate.Subject);
                output.WriteLine("  cert issuer:  " + certificate.Issuer);
            }
        }
        output.WriteLine("auth: " + (user ?? "none"));
    }

    /// <summary>Prints one stage; true when it was accepted (DISCARD and QUARANTINE included).</summary>
    public bool Stage(string title, StageEvaluation evaluation)
    {
        output.WriteLine();
        output.WriteLine(title);
        foreach (var step in evaluation.Steps)
        {
            var result = step.Result;
            var line = $"  {step.Name,-26} {result.Outcome.ToString().ToUpperInvariant(),-10} {(result.Source is { } source ? source + " " : "")}{result.Detail}";
            if (result.Reply is { } reply)
            {
                line += " -> " + reply;
            }
            if (step.Note is { } note)
            {
                line += " [" + note + "]";
            }
            output.WriteLine(line);
        }
        var decision = evaluation.Decision;
        var verdict = decision.Verdict.ToString().ToUpperInvariant();
        output.WriteLine(decision.Reply is { } refusal
            ? $"  => {verdict} {refusal}: {decision.Reason}"
            : $"  => {verdict}: {decision.Reason}");
        if (decision.Verdict == PolicyVerdict.Reject)
        {
            _refused++;
        }
        return decision.IsAccepted;
    }

    public int Finish(int exitCode)
    {
        output.WriteLine();
        output.WriteLine(_refused == 0 ? "result: accepted" : $"result: refused ({_refused} refusal{(_refused == 1 ? "" : "s")})");
        return exitCode;
    }
}
