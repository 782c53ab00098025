namespace Postern.Tools.Check;

/// <summary>The <c>--json</c> document: the facts, the findings and the exit code they give.</summary>
internal sealed record CheckReportDocument(CheckResult Result, IReadOnlyList<CheckFinding> Findings, int ExitCode);
