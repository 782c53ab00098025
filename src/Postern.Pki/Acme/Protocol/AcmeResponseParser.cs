using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Postern.Pki.Acme.Protocol.Wire;
using static Postern.Pki.Acme.Protocol.AcmeWireValues;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// Turns the JSON bodies of an ACME server into the protocol's records, checking as it goes:
/// required fields present, statuses from RFC 8555's lists, URLs https, lists bounded, texts fit
/// for a log line. Anything else is an <see cref="AcmeException"/> that says what was wrong.
/// </summary>
internal static class AcmeResponseParser
{
    /// <summary>More names than any CA puts on one certificate (Let's Encrypt: 100).</summary>
    public const int MaxListItems = 100;

    private const int MaxChallenges = 16;

    public static AcmeDirectory Directory(ReadOnlySpan<byte> json)
    {
        const string What = "a directory";
        var wire = Read(json, AcmeWireJsonContext.Default.WireDirectory, What);
        return new AcmeDirectory(
            Url(wire.NewNonce, "newNonce", What),
            Url(wire.NewAccount, "newAccount", What),
            Url(wire.NewOrder, "newOrder", What),
            OptionalUrl(wire.RevokeCert, "revokeCert", What),
            OptionalUrl(wire.KeyChange, "keyChange", What),
            OptionalUrl(wire.RenewalInfo, "renewalInfo", What),
            OptionalLink(wire.Meta?.TermsOfService, "termsOfService", What),
            wire.Meta?.ExternalAccountRequired ?? false);
    }

    public static AcmeAccount Account(ReadOnlySpan<byte> json, Uri location)
    {
        const string What = "an account";
        var wire = Read(json, AcmeWireJsonContext.Default.WireAccount, What);
        var contact = Bounded(wire.Contact, "contact", What, 16).Select(c => Printable(c ?? "", 200)).ToList();
        return new AcmeAccount(location, Status(wire.Status, What, "valid", "deactivated", "revoked"), contact);
    }

    public static AcmeOrder Order(ReadOnlySpan<byte> json, Uri location, TimeSpan? retryAfter)
    {
        const string What = "an order";
        var wire = Read(json, AcmeWireJsonContext.Default.WireOrder, What);
        var status = Status(wire.Status, What, "pending", "ready", "processing", "valid", "invalid");
        var identifiers = Bounded(wire.Identifiers, "identifiers", What, MaxListItems).Select(i => Identifier(i, What)).ToList();
        var authorizations = Bounded(wire.Authorizations, "authorizations", What, MaxListItems).Select(a => Url(a, "authorization", What)).ToList();
        var certificate = OptionalUrl(wire.Certificate, "certificate", What);
        if (status == "valid" && certificate is null)
        {
            throw Malformed(What, "is valid but has no certificate URL");
        }
        return new AcmeOrder(
            location,
            status,
            identifiers,
            authorizations,
            Url(wire.Finalize, "finalize", What),
            certificate,
            Timestamp(wire.Expires, "expires", What),
            wire.Error is null ? null : Problem(wire.Error, 0),
            retryAfter);
    }

    public static AcmeAuthorization Authorization(ReadOnlySpan<byte> json, Uri location, TimeSpan? retryAfter)
    {
        const string What = "an authorization";
        var wire = Read(json, AcmeWireJsonContext.Default.WireAuthorization, What);
        var status = Status(wire.Status, What, "pending", "valid", "invalid", "deactivated", "expired", "revoked");
        var identifier = wire.Identifier is null ? throw Malformed(What, "has no identifier") : Identifier(wire.Identifier, What);
        var challenges = Bounded(wire.Challenges, "challenges", What, MaxChallenges).Select(c => Challenge(c ?? throw Malformed(What, "lists a null challenge"))).ToList();
        return new AcmeAuthorization(location, status, identifier, wire.Wildcard ?? false, challenges, retryAfter);
    }

    public static AcmeChallenge Challenge(ReadOnlySpan<byte> json) =>
        Challenge(Read(json, AcmeWireJsonContext.Default.WireChallenge, "a challenge"));

    /// <summary>A problem document; <paramref name="httpStatus"/> stands in for a missing status member.</summary>
    public static AcmeProblem Problem(ReadOnlySpan<byte> json, int httpStatus) =>
        Problem(Read(json, AcmeWireJsonContext.Default.WireProblem, "a problem document"), httpStatus);

    public static AcmeRenewalInfo RenewalInfo(ReadOnlySpan<byte> json, TimeSpan? retryAfter)
    {
        const string What = "renewal information";
        var wire = Read(json, AcmeWireJsonContext.Default.WireRenewalInfo, What);
        var window = wire.SuggestedWindow ?? throw Malformed(What, "has no suggestedWindow");
        var start = Timestamp(window.Start, "window start", What) ?? throw Malformed(What, "has no window start");
        var end = Timestamp(window.End, "window end", What) ?? throw Malformed(What, "has no window end");
        if (end <= start)
        {
            throw Malformed(What, "has a window that ends before it starts");
        }
        return new AcmeRenewalInfo(start, end, OptionalLink(wire.ExplanationUrl, "explanationURL", What), retryAfter);
    }

    private static AcmeChallenge Challenge(WireChallenge wire)
    {
        const string What = "a challenge";
        var type = wire.Type is { Length: > 0 and <= 40 } t ? Printable(t, 40) : throw Malformed(What, "has no type");
        return new AcmeChallenge(
            Url(wire.Url, "url", What),
            type,
            Status(wire.Status, What, "pending", "processing", "valid", "invalid"),
            Token(wire.Token, What),
            wire.Error is null ? null : Problem(wire.Error, 0));
    }

    private static AcmeProblem Problem(WireProblem wire, int httpStatus)
    {
        var subproblems = Bounded(wire.Subproblems, "subproblems", "a problem document", MaxListItems)
            .Select(s => new AcmeSubproblem(
                Printable(s?.Type ?? "about:blank", 120),
                s?.Detail is null ? null : Printable(s.Detail),
                s?.Identifier?.Value is null ? null : Printable(s.Identifier.Value, 260)))
            .ToList();
        var status = wire.Status is >= 100 and <= 599 ? wire.Status.Value : httpStatus;
        return new AcmeProblem(Printable(wire.Type ?? "about:blank", 120), wire.Detail is null ? null : Printable(wire.Detail), status)
        {
            Subproblems = subproblems,
        };
    }

    private static string Identifier(WireIdentifier? wire, string what)
    {
        if (wire?.Value is not { Length: > 0 and <= 255 } value || !value.All(c => c > ' ' && c < 0x7f))
        {
            throw Malformed(what, "has an identifier without a printable value");
        }
        return value;
    }

    private static List<T> Bounded<T>(List<T>? list, string field, string what, int limit)
    {
        if (list is null)
        {
            return [];
        }
        if (list.Count > limit)
        {
            throw Malformed(what, $"lists more than {limit} {field}");
        }
        return list;
    }

    private static T Read<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw Malformed(what, "is null");
        }
        catch (JsonException e)
        {
            throw new AcmeException($"the ACME server sent {what} that is not valid JSON: {Printable(e.Message, 160)}", inner: e);
        }
    }
}
