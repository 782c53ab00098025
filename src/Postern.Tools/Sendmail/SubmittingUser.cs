using System.Runtime.InteropServices;

namespace Postern.Tools.Sendmail;

/// <summary>The local user running sendmail: named in the Received header and the default sender.</summary>
public sealed record SubmittingUser(string Name, uint Id)
{
    public static SubmittingUser Current() => new(Environment.UserName, NativeMethods.GetUid());

    private static class NativeMethods
    {
        // Blittable only, as PidFile's kill: a plain DllImport needs no generated marshalling.
        [DllImport("libc", EntryPoint = "getuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint GetUid();
    }
}
