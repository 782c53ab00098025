namespace Postern.Filters.Authentication.Spf;

/// <summary>What evaluating one mechanism gave: it matched, it did not, or the check ends with an error.</summary>
internal enum SpfMatch
{
    NoMatch,
    Match,
    TempError,
    PermError,
}
