using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Config;
using Postern.Core.Tls;
using Postern.Pki.Certificates;
using Postern.Pki.Tls;
using Postern.Tools.Cert;

namespace Postern.Tools.Access;

/// <summary>
/// The TLS facts <c>postern access check</c> assumes: the certificate's facts, verified against
/// tls.ca_file / tls.ca_path as the server would (no CRLs), or the verify result given.
/// </summary>
internal static class AccessCheckTls
{
    private static readonly Dictionary<string, VerifyResult> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["OK"] = VerifyResult.Ok,
        ["FAIL"] = VerifyResult.Fail,
        ["NO"] = VerifyResult.No,
        ["NOT"] = VerifyResult.Not,
        ["NONE"] = VerifyResult.None,
    };

    /// <summary>The facts, null without TLS; or an error message (usage or unreadable file) and its exit code.</summary>
    public static (TlsFacts? Facts, string? Error, int ExitCode) Build(AccessCheckRequest request, TlsSettings settings, TimeProvider clock)
    {
        VerifyResult? given = null;
        if (request.Verify is not null)
        {
            if (!Words.TryGetValue(request.Verify, out var word))
            {
                return (null, $"--verify must be OK, FAIL, NO, NOT or NONE, got '{request.Verify}'", ExitCodes.Usage);
            }
            given = word;
        }
        if (request.Certificate is null)
        {
            if (given is VerifyResult.Ok or VerifyResult.Fail)
            {
                return (null, $"--verify {request.Verify} needs --cert: the certificate's names are what the access map is looked up by", ExitCodes.Usage);
            }
            if (given == VerifyResult.None)
            {
                return (null, null, ExitCodes.Ok);
            }
            var peer = given switch
            {
                VerifyResult.No => CertificateVerification.NoneGiven,
                _ => CertificateVerification.NotAsked,
            };
            return given is null && !request.Tls ? (null, null, ExitCodes.Ok) : (Facts(request, peer), null, ExitCodes.Ok);
        }
        X509Certificate2 certificate;
        try
        {
            certificate = CertificateFile.LoadFirst(request.Certificate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return (null, $"{request.Certificate}: not a readable certificate: {e.Message}", ExitCodes.DataError);
        }
        using (certificate)
        {
            CertificateVerification verification;
            if (given is { } result)
            {
                verification = new CertificateVerification(
                    result,
                    result == VerifyResult.Fail ? VerifyFailure.Untrusted : VerifyFailure.None,
                    "assumed with --verify",
                    CertificateFactsReader.Read(certificate));
            }
            else
            {
                try
                {
                    var anchors = CaLoader.Load(settings.CaFile, settings.CaPath, []);
                    verification = CertificateVerifier.VerifyClient(certificate, [], anchors, null, clock.GetUtcNow());
                }
                catch (TlsConfigurationException e)
                {
                    return (null, "TLS: " + e.Message, ExitCodes.Config);
                }
            }
            return (Facts(request, verification), null, ExitCodes.Ok);
        }
    }

    private static TlsFacts Facts(AccessCheckRequest request, CertificateVerification peer) =>
        new("TLSv1.3", "TLS_AES_256_GCM_SHA384", request.Bits, peer);
}
