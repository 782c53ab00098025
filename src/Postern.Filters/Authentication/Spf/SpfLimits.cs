namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// The processing limits of RFC 7208 section 4.6.4 for one check, shared by every include and
/// redirect it follows: 10 terms that query DNS, 2 void lookups, 10 MX or PTR names per term.
/// </summary>
internal sealed class SpfLimits
{
    public const int MaxDnsTerms = 10;
    public const int MaxVoidLookups = 2;
    public const int MaxNamesPerTerm = 10;

    private int _dnsTerms;
    private int _voidLookups;

    /// <summary>Counts one DNS-querying term; false once the limit is passed (a permerror).</summary>
    public bool TakeDnsTerm() => ++_dnsTerms <= MaxDnsTerms;

    /// <summary>Counts a lookup that found nothing; false once the limit is passed (a permerror).</summary>
    public bool TakeVoidLookup() => ++_voidLookups <= MaxVoidLookups;
}
