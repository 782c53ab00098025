namespace Postern.Pki.Acme.Issuance;

/// <summary>account.json: the account the server made for account.key, on which directory.</summary>
public sealed record AcmeAccountRecord
{
    /// <summary>The directory URL the account belongs to; another directory means another account.</summary>
    public required string Directory { get; init; }

    /// <summary>The account URL (the kid of every request after registration).</summary>
    public required string Url { get; init; }

    public IReadOnlyList<string> Contact { get; init; } = [];

    public DateTimeOffset Created { get; init; }
}
