using System.Globalization;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Tests.Server;

namespace Postern.Tests.Dialogs;

/// <summary>
/// Reads a script's <c>policy STAGE ACTION ...</c> directive into a <see cref="ScriptedPolicy"/>:
/// STAGE is connect, helo, helo=NAME, mail, rcpt=LOCALPART or data; ACTION is
/// <c>discard REASON</c>, <c>quarantine REASON</c> or <c>reject CODE STATUS TEXT</c>.
/// </summary>
internal static class ScriptedPolicies
{
    public static ScriptedPolicy With(ScriptedPolicy policy, string directive)
    {
        var parts = directive.Split(' ', 3);
        if (parts.Length < 3)
        {
            throw new FormatException("policy STAGE ACTION ARGUMENTS");
        }
        var decision = Decision(parts[1], parts[2]);
        var (stage, value) = parts[0].IndexOf('=') is var at and >= 0 ? (parts[0][..at], parts[0][(at + 1)..]) : (parts[0], null);
        return stage switch
        {
            "connect" => Copy(policy, connect: decision),
            "helo" => Copy(policy, helo: decision, heloName: value),
            "mail" => Copy(policy, sender: decision),
            "rcpt" => AddRecipient(policy, value ?? throw new FormatException("rcpt=LOCALPART"), decision),
            "data" => Copy(policy, data: decision),
            _ => throw new FormatException("unknown policy stage " + stage),
        };
    }

    private static PolicyDecision Decision(string action, string argument)
    {
        switch (action)
        {
            case "discard":
                return PolicyDecision.Discard(argument);
            case "quarantine":
                return PolicyDecision.Quarantine(argument);
            case "reject":
                var words = argument.Split(' ', 3);
                var reply = new SmtpReply(int.Parse(words[0], CultureInfo.InvariantCulture), words[1], words[2]);
                return PolicyDecision.Reject(reply, "scripted reject");
            default:
                throw new FormatException("unknown policy action " + action);
        }
    }

    private static ScriptedPolicy AddRecipient(ScriptedPolicy policy, string localPart, PolicyDecision decision)
    {
        policy.Recipients[localPart] = decision;
        return policy;
    }

    private static ScriptedPolicy Copy(
        ScriptedPolicy policy,
        PolicyDecision? connect = null,
        PolicyDecision? helo = null,
        string? heloName = null,
        PolicyDecision? sender = null,
        PolicyDecision? data = null) => new()
    {
        Connect = connect ?? policy.Connect,
        Helo = helo ?? policy.Helo,
        HeloName = heloName ?? policy.HeloName,
        Sender = sender ?? policy.Sender,
        Data = data ?? policy.Data,
        Recipients = policy.Recipients,
    };
}
