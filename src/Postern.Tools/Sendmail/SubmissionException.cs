namespace Postern.Tools.Sendmail;

/// <summary>A submission that cannot go on; carries the sysexits code and the message for stderr.</summary>
public sealed class SubmissionException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
