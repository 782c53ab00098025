namespace Postern.Tools.Check;

/// <summary>The AUTH attempt: the mechanism chosen (null when none was usable), success, and the final reply or reason.</summary>
internal sealed record AuthAttemptResult(string User, string? Mechanism, bool Succeeded, string Detail);
