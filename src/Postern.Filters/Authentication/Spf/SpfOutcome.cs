namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// What one SPF check found: the result, which identity was checked (<c>mailfrom</c>, or
/// <c>helo</c> for the null sender), that identity as written in Authentication-Results
/// (<c>smtp.mailfrom=</c> / <c>smtp.helo=</c>), the domain whose policy decided, and a reason
/// for the mail log.
/// </summary>
public sealed record SpfOutcome(SpfResult Result, string IdentityKind, string Identity, string Domain, string Reason)
{
    /// <summary>The result word as Authentication-Results writes it (RFC 8601 section 2.7.2).</summary>
    public string ResultName => Result.ToString().ToLowerInvariant();
}
