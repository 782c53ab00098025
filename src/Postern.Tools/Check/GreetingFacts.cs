namespace Postern.Tools.Check;

/// <summary>The server's 220 (or refusal) and how long it took from connect.</summary>
internal sealed record GreetingFacts(ReplyFacts Reply, double Milliseconds);
