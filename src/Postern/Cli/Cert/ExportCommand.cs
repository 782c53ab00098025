using System.CommandLine;
using Postern.Config;
using Postern.Pki.Authority;
using Postern.Tools.Cert;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert export NAME --p12</c>: seed 001's "concatenate the CA cert, the user cert and
/// the key, then <c>openssl pkcs12 -export -name ...</c>", for Thunderbird, Outlook and friends.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var location = new CaDirectoryOptions();
        var name = new Argument<string>("NAME") { Description = "The issued certificate's name (see `postern cert list`)" };
        var p12 = new Option<bool>("--p12") { Description = "Write a PKCS#12 bundle (certificate, key and CA), password-protected" };
        var friendly = new Option<string?>("--name") { Description = "The friendly name mail clients show, e.g. \"Joe User's Personal Certificate\" (default: the CN)" };
        var output = new Option<string?>("--out") { Description = "The bundle file (default: NAME.p12 beside the certificate); written with mode 0600" };
        var command = new Command("export", "Bundle an issued certificate with its key and the CA for a mail client; the password is read from the terminal or one line of stdin") { name, p12, friendly, output };
        location.AddTo(command);
        command.SetAction(parse =>
        {
            if (!parse.GetValue(p12))
            {
                Console.Error.WriteLine("postern: cert export: say --p12 (PKCS#12 is the one format mail clients import)");
                return ExitCodes.Usage;
            }
            var directory = location.Resolve(parse, Console.Error);
            if (directory is null)
            {
                return ExitCodes.Config;
            }
            return Run(directory, parse.GetValue(name)!, parse.GetValue(friendly), parse.GetValue(output),
                () => PasswordReader.Read("PKCS#12 export", Console.Error), Console.Out, Console.Error);
        });
        return command;
    }

    internal static int Run(string caDirectory, string name, string? friendlyName, string? outputFile, Func<string?> password, TextWriter output, TextWriter error)
    {
        try
        {
            using var ca = CertificateAuthority.Open(caDirectory);
            var entry = ca.Find(name)
                ?? throw new CaException(CaErrorKind.NotFound, $"{ca.Layout.IndexFile}: no certificate named '{name}' (see `postern cert list`)");
            if (!KeyAlgorithmNames.TryParse(entry.KeyAlgorithm, out var algorithm))
            {
                throw new CaException(CaErrorKind.BadData, $"{ca.Layout.IndexFile}: '{name}' has an unknown key type '{entry.KeyAlgorithm}'");
            }
            using var certificate = LoadCertificate(entry.CertificateFile);
            using var key = PrivateKeys.Load(entry.KeyFile, algorithm);
            var secret = password();
            if (secret is null)
            {
                return ExitCodes.Usage;
            }
            if (secret.Length == 0)
            {
                error.WriteLine("postern: cert export: an empty password protects nothing and some clients refuse it; give one");
                return ExitCodes.Usage;
            }
            var target = Path.GetFullPath(outputFile ?? Path.ChangeExtension(entry.CertificateFile, ".p12"));
            byte[] bundle;
            try
            {
                bundle = Pkcs12Export.Export(certificate, key, [ca.Certificate], friendlyName ?? entry.CommonName, secret);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new CaException(CaErrorKind.BadData, $"{entry.KeyFile}: cannot be bundled with {entry.CertificateFile}: {e.Message}", e);
            }
            try
            {
                SecureFile.Write(target, bundle, SecureFile.PrivateMode);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CaException(CaErrorKind.Io, $"{target}: cannot write the bundle: {e.Message}", e);
            }
            output.WriteLine($"wrote {target} (PKCS#12: {entry.Subject}, its key and the CA; AES-256, mode 0600)");
            return ExitCodes.Ok;
        }
        catch (CaException e)
        {
            return CaErrors.Report(e, "export", error);
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            return CertificateFile.LoadFirst(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CaException(CaErrorKind.NotFound, $"{path}: not a readable certificate: {e.Message}", e);
        }
    }
}
