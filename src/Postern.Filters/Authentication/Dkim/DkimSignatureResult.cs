namespace Postern.Filters.Authentication.Dkim;

/// <summary>One DKIM-Signature's verification: the result, its d=, s= and a= tags, and a reason for the header comment and the mail log.</summary>
public sealed record DkimSignatureResult(DkimResult Result, string Domain, string Selector, string Algorithm, string Reason)
{
    public string ResultName => Result.ToString().ToLowerInvariant();
}
