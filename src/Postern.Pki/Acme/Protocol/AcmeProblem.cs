namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// An RFC 7807 problem document as an ACME server sends it (RFC 8555 6.7): the type
/// (urn:ietf:params:acme:error:...), the detail for the log, the HTTP status, and subproblems per identifier.
/// </summary>
public sealed record AcmeProblem(string Type, string? Detail, int Status)
{
    /// <summary>Per-identifier problems (RFC 8555 6.7.1), e.g. one name of an order that failed.</summary>
    public IReadOnlyList<AcmeSubproblem> Subproblems { get; init; } = [];

    /// <summary>The part after urn:ietf:params:acme:error: (badNonce, rateLimited, ...), or the whole type.</summary>
    public string ShortType => Type.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? Type[ErrorPrefix.Length..] : Type;

    public const string ErrorPrefix = "urn:ietf:params:acme:error:";

    public override string ToString() => Detail is null ? $"{ShortType} ({Status})" : $"{ShortType}: {Detail} ({Status})";
}

/// <summary>One subproblem: the identifier it concerns and its own type and detail.</summary>
public sealed record AcmeSubproblem(string Type, string? Detail, string? Identifier);
