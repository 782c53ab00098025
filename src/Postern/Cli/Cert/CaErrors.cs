using Postern.Config;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>Prints a CA failure (its message names the file) and maps it to a sysexits code.</summary>
internal static class CaErrors
{
    public static int Report(CaException e, string command, TextWriter error)
    {
        error.WriteLine($"postern: cert {command}: {e.Message}");
        return e.Kind switch
        {
            CaErrorKind.Usage => ExitCodes.Usage,
            CaErrorKind.NotFound => ExitCodes.NoInput,
            CaErrorKind.Exists => ExitCodes.CannotCreate,
            CaErrorKind.Io => ExitCodes.IoError,
            _ => ExitCodes.DataError,
        };
    }
}
