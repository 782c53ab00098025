namespace Postern.Tools.Check.Domain;

/// <summary>The <c>--domain --json</c> document: the facts, the findings and the exit code they give.</summary>
internal sealed record DomainCheckDocument(DomainCheckResult Result, IReadOnlyList<CheckFinding> Findings, int ExitCode);
