namespace Postern.Tools.Access;

/// <summary>The options of <c>postern access check</c>, as given.</summary>
public sealed record AccessCheckRequest(string Client, string From, IReadOnlyList<string> Recipients)
{
    public string? Helo { get; init; }

    public string? Listener { get; init; }

    /// <summary>A PEM or DER client certificate: its facts, verified against tls.ca_file / ca_path unless <see cref="Verify"/> says.</summary>
    public string? Certificate { get; init; }

    /// <summary>OK, FAIL, NO, NOT or NONE: the verify result to assume.</summary>
    public string? Verify { get; init; }

    /// <summary>The client used TLS (implied by a certificate or a verify result).</summary>
    public bool Tls { get; init; }

    /// <summary>The cipher strength to assume with TLS.</summary>
    public int Bits { get; init; } = 256;

    /// <summary>The user the client authenticated as (with a trusted mechanism).</summary>
    public string? AuthenticatedUser { get; init; }

    public string? ConfigPath { get; init; }

    public string? DataDirectory { get; init; }
}
