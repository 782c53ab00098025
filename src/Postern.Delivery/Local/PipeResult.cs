namespace Postern.Delivery.Local;

/// <summary>How a pipe command ended: its exit code (null when killed on timeout) and the start of its output.</summary>
internal sealed record PipeResult(int? ExitCode, bool TimedOut, string Output);
