namespace Postern.Filters.Authentication.Dmarc;

/// <summary>What a domain asks receivers to do with mail that fails DMARC (the <c>p=</c> and <c>sp=</c> tags).</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}
