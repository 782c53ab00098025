namespace Postern.Tools.Check;

/// <summary>The command line of <c>postern check</c> as given, before validation.</summary>
public sealed record CheckArguments(string? Target, IReadOnlyList<CheckMode> Modes)
{
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    public string? CaFile { get; init; }

    public string? ServerName { get; init; }

    public string? AuthUser { get; init; }

    public string? From { get; init; }

    public string? Recipient { get; init; }

    public string Timeout { get; init; } = "10s";

    public string? Helo { get; init; }

    public bool Json { get; init; }
}
