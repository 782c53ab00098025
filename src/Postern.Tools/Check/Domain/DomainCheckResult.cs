namespace Postern.Tools.Check.Domain;

/// <summary>Everything <c>postern check --domain</c> found; <see cref="DomainCheckFindings"/> judges it.</summary>
internal sealed record DomainCheckResult
{
    public required string Domain { get; init; }

    public required MxSetFacts Mx { get; init; }

    public required MtaStsFacts MtaSts { get; init; }

    public required TlsRptFacts TlsRpt { get; init; }
}
