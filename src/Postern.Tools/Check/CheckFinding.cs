namespace Postern.Tools.Check;

/// <summary>One flagged fact: a stable code for scripts (<c>open-relay</c>, <c>tls10-accepted</c>...) and a sentence for people.</summary>
internal sealed record CheckFinding(FindingSeverity Severity, string Code, string Message);
