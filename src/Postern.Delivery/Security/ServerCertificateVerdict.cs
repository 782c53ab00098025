using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Core.TlsReporting;

namespace Postern.Delivery.Security;

/// <summary>What the server's certificate proved against the host's requirement.</summary>
/// <param name="Shown">The verify result for the log and the session's TLS facts (DANE's verdict under DANE).</param>
/// <param name="Authenticated">True when the server was authenticated as required (DANE, MTA-STS enforce, verify).</param>
/// <param name="Refusal">When set, the host must not be used: the deferral reply.</param>
/// <param name="Failure">The TLS-RPT result type when a check failed (also under MTA-STS testing, which delivers anyway).</param>
/// <param name="Detail">The failure's detail.</param>
internal sealed record ServerCertificateVerdict(CertificateVerification Shown, bool Authenticated, SmtpReply? Refusal, TlsReportResultType? Failure, string? Detail);
