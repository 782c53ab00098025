namespace Postern.Filters.Authentication.Spf;

/// <summary>A parsed SPF record: its mechanisms in order and the redirect and exp modifiers, if present.</summary>
internal sealed record SpfRecord(IReadOnlyList<SpfMechanism> Mechanisms, SpfMacroString? Redirect, SpfMacroString? Explanation);
