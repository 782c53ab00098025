namespace Postern.Tools.Check.Domain;

/// <summary>The command line of <c>postern check --domain</c> as given, before validation.</summary>
public sealed record DomainCheckArguments(string Domain)
{
    /// <summary>--ca: verify MX certificates (the PKIX check MTA-STS needs) against these CAs instead of the system store.</summary>
    public string? CaFile { get; init; }

    public string Timeout { get; init; } = "10s";

    public string? Helo { get; init; }

    public bool Json { get; init; }

    /// <summary>The MX hosts' SMTP port (25; tests use another).</summary>
    public int Port { get; init; } = 25;
}
