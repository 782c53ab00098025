namespace Postern.Policy.Restrictions;

/// <summary>One restriction evaluated, in order: its name, what it said and, when the engine overrode it, why.</summary>
/// <param name="Name">The restriction name as configured (<c>check_client_access</c>).</param>
/// <param name="Result">What the restriction returned.</param>
/// <param name="Note">Set when the engine did not take the result as is (an OK that cannot grant relaying).</param>
public sealed record RestrictionStep(string Name, RestrictionResult Result, string? Note = null);
