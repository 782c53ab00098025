namespace Postern.Tools.Check;

/// <summary>One weak-version probe: "TLSv1.0" or "TLSv1.1", its outcome and the detail behind it.</summary>
internal sealed record WeakProtocolResult(string Version, WeakProtocolOutcome Outcome, string Detail);
