using Postern.Core.Smtp;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Security;

/// <summary>
/// The plan for one host: what its session must prove, the material to prove it with, the word
/// for the log, and the TLS-RPT policy it counts under; or, when <see cref="Skip"/> is set, why the
/// host is not tried at all (a deferral reply and its TLS-RPT result type).
/// </summary>
public sealed record HostSecurity(RelayHost Host, TlsRequirement Requirement)
{
    /// <summary>The validated, usable TLSA records when <see cref="Requirement"/> is <see cref="TlsRequirement.Dane"/>.</summary>
    public IReadOnlyList<TlsaAssociation> Tlsa { get; init; } = [];

    /// <summary>Names a DANE-TA-issued certificate may carry: the TLSA base domain and the MX host name.</summary>
    public IReadOnlyList<string> ReferenceNames { get; init; } = [];

    /// <summary>The MTA-STS mode that applied to the host, for the log's <c>sts=</c>.</summary>
    public MtaStsMode StsMode { get; init; } = MtaStsMode.None;

    /// <summary>Under MTA-STS testing, the host is outside the policy: reported, not enforced.</summary>
    public bool OutsideStsPolicy { get; init; }

    /// <summary>Counted for TLS-RPT under this policy; null when the host is not the recipient domain's MX (nothing is reported).</summary>
    public TlsReportPolicy? Report { get; init; }

    /// <summary>A problem found before any session (e.g. the MTA-STS policy could not be fetched) that TLS-RPT counts as the session's failure.</summary>
    public TlsReportResultType? PolicyFailure { get; init; }

    /// <summary>Its detail, for TLS-RPT and the log.</summary>
    public string? PolicyFailureDetail { get; init; }

    /// <summary>When set, the host is skipped and its recipients deferred with this reply.</summary>
    public SmtpReply? Skip { get; init; }

    /// <summary>The requirement word for the session pool and the log: a session held to one requirement never serves another.</summary>
    public string Word => Requirement switch
    {
        TlsRequirement.May => "may",
        TlsRequirement.Encrypt => "encrypt",
        TlsRequirement.Verify => "verify",
        TlsRequirement.Dane => "dane",
        TlsRequirement.StsEnforce => "sts-enforce",
        _ => "sts-testing",
    };

    /// <summary>The log's <c>dane=</c>: whether the session is held to the host's TLSA records.</summary>
    public string DaneWord => Requirement == TlsRequirement.Dane ? "yes" : "no";

    /// <summary>The log's <c>sts=</c>: the MTA-STS mode that applied.</summary>
    public string StsWord => StsMode switch
    {
        MtaStsMode.Enforce => "enforce",
        MtaStsMode.Testing => "testing",
        _ => "none",
    };

    /// <summary>A host held to the old per-destination level only, without DANE or MTA-STS (routes with may, encrypt or verify).</summary>
    public static HostSecurity ForLevel(RelayHost host, OutboundTlsPolicy level) => new(host, level switch
    {
        OutboundTlsPolicy.Encrypt => TlsRequirement.Encrypt,
        OutboundTlsPolicy.Verify => TlsRequirement.Verify,
        _ => TlsRequirement.May,
    });
}
