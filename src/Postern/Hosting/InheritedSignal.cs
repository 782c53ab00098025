using System.Runtime.InteropServices;

namespace Postern.Hosting;

/// <summary>
/// Undoes an ignored disposition the daemon inherited for one of its control signals. A daemon
/// started under <c>nohup</c> inherits SIGHUP ignored, and .NET's <see cref="PosixSignalRegistration"/>
/// respects an inherited SIG_IGN: it registers the handler but never installs it (System.Native's
/// InstallSignalHandler returns early for an ignored signal), so SIGHUP would silently reload nothing.
/// For Postern SIGHUP and SIGUSR1 are requests, not hang-ups: the ignored disposition is reset to
/// the default before the handler is registered, which then installs as usual.
/// </summary>
internal static class InheritedSignal
{
    /// <summary>SIGHUP's number on Linux (<see cref="PosixSignal.SIGHUP"/> is .NET's own value, not the number).</summary>
    public const int Hangup = 1;

    // glibc's struct sigaction is 152 bytes on x86-64 and arm64; the buffer is larger than any
    // Linux layout. Its first member is the handler (the union of sa_handler and sa_sigaction).
    private const int SigactionBufferSize = 512;
    private static readonly nint Ignore = 1; // SIG_IGN

    /// <summary>
    /// Resets <paramref name="signal"/> from SIG_IGN to SIG_DFL; true when it was ignored. Must run
    /// before the signal's first <see cref="PosixSignalRegistration"/>: the runtime decides once.
    /// </summary>
    public static bool ResetIfIgnored(int signal)
    {
        var current = Marshal.AllocHGlobal(SigactionBufferSize);
        var defaultAction = Marshal.AllocHGlobal(SigactionBufferSize);
        try
        {
            Zero(current);
            Zero(defaultAction); // handler SIG_DFL (0), empty mask, no flags
            if (SigAction(signal, 0, current) != 0 || Marshal.ReadIntPtr(current) != Ignore)
            {
                return false;
            }
            return SigAction(signal, defaultAction, 0) == 0;
        }
        finally
        {
            Marshal.FreeHGlobal(current);
            Marshal.FreeHGlobal(defaultAction);
        }
    }

    private static void Zero(nint buffer) => Marshal.Copy(new byte[SigactionBufferSize], 0, buffer, SigactionBufferSize);

    // Blittable arguments only, as PidFile's kill: a plain DllImport needs no generated marshalling.
    [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SigAction(int signal, nint action, nint oldAction);
}
