using Postern.Pki.Acme.Protocol;

namespace Postern.Fuzz.Targets;

/// <summary>
/// What an ACME server sends, through the client's parser: the first byte picks the object
/// (directory, account, order, authorization, challenge, problem document, renewal information),
/// the rest is the JSON body. A body the client cannot use is an <see cref="AcmeException"/> whose
/// message fits one log line; a body it accepts gives only https URLs to request (links only shown may be any absolute URL), statuses from RFC 8555's
/// lists and texts without control characters.
/// </summary>
internal static class AcmeResponseTarget
{
    private static readonly Uri Location = new("https://acme.test/resource/1");

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }
        var body = input.AsSpan(1);
        try
        {
            switch (input[0] % 7)
            {
                case 0:
                    var directory = AcmeResponseParser.Directory(body);
                    RequireHttps(directory.NewNonce, directory.NewAccount, directory.NewOrder, directory.RevokeCert, directory.KeyChange, directory.RenewalInfo);
                    RequireAbsolute(directory.TermsOfService);
                    break;
                case 1:
                    var account = AcmeResponseParser.Account(body, Location);
                    RequireStatus(account.Status, "valid", "deactivated", "revoked");
                    account.Contact.ToList().ForEach(c => ReplyChecks.RequireNoControl(c, "a contact"));
                    break;
                case 2:
                    var order = AcmeResponseParser.Order(body, Location, null);
                    RequireStatus(order.Status, "pending", "ready", "processing", "valid", "invalid");
                    RequireHttps([order.Finalize, order.Certificate, .. order.Authorizations]);
                    FuzzInvariantException.Require(order.Status != "valid" || order.Certificate is not null, "a valid order has its certificate");
                    RequireProblem(order.Error);
                    break;
                case 3:
                    var authorization = AcmeResponseParser.Authorization(body, Location, null);
                    RequireStatus(authorization.Status, "pending", "valid", "invalid", "deactivated", "expired", "revoked");
                    authorization.Challenges.ToList().ForEach(RequireChallenge);
                    break;
                case 4:
                    RequireChallenge(AcmeResponseParser.Challenge(body));
                    break;
                case 5:
                    var problem = AcmeResponseParser.Problem(body, 400);
                    RequireProblem(problem);
                    FuzzInvariantException.Require(problem.Status is >= 100 and <= 599, "a problem has an HTTP status");
                    break;
                default:
                    var info = AcmeResponseParser.RenewalInfo(body, null);
                    FuzzInvariantException.Require(info.WindowEnd > info.WindowStart, "a renewal window ends after it starts");
                    RequireAbsolute(info.ExplanationUrl);
                    break;
            }
        }
        catch (AcmeException e)
        {
            FuzzInvariantException.Require(e.Message.Length is > 0 and < 1000, "a refusal says why, in one line");
            ReplyChecks.RequireNoControl(e.Message, "a refusal");
        }
    }

    private static void RequireChallenge(AcmeChallenge challenge)
    {
        RequireStatus(challenge.Status, "pending", "processing", "valid", "invalid");
        RequireHttps(challenge.Url);
        FuzzInvariantException.Require(challenge.Token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), "a token is base64url");
        ReplyChecks.RequireNoControl(challenge.Type, "a challenge type");
        RequireProblem(challenge.Error);
    }

    private static void RequireProblem(AcmeProblem? problem)
    {
        if (problem is null)
        {
            return;
        }
        ReplyChecks.RequireNoControl(problem.ToString(), "a problem");
        foreach (var sub in problem.Subproblems)
        {
            ReplyChecks.RequireNoControl(sub.Type + sub.Detail + sub.Identifier, "a subproblem");
        }
    }

    private static void RequireStatus(string status, params string[] allowed) =>
        FuzzInvariantException.Require(allowed.Contains(status), "a status from RFC 8555's list, not " + status);

    private static void RequireAbsolute(Uri? link)
    {
        FuzzInvariantException.Require(link is null || link.IsAbsoluteUri, "a link is absolute");
        ReplyChecks.RequireNoControl(link?.OriginalString, "a link");
    }

    private static void RequireHttps(params Uri?[] urls)
    {
        foreach (var url in urls)
        {
            FuzzInvariantException.Require(url is null || (url.IsAbsoluteUri && url.Scheme == Uri.UriSchemeHttps), "every URL is absolute https");
        }
    }
}
