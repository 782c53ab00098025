using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>Why a chain did not verify, with the short reason the log shows.</summary>
internal readonly record struct ChainProblem(VerifyFailure Failure, string Reason);
