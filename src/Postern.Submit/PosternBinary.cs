using System.Runtime.InteropServices;
using Postern.Config;

namespace Postern.Submit;

/// <summary>
/// Replaces this process with <c>postern PERSONALITY ARGS</c> from the same directory (execv): the
/// daemon (<c>-bd</c>), the queue (<c>mailq</c>, <c>-q</c>), <c>-bs</c>, <c>-bv</c>, <c>-bt</c> and the
/// version then behave exactly as <c>postern sendmail</c>, with the same pid, signals, stdin and
/// exit code, and nothing of them is compiled into this small binary.
/// </summary>
internal static partial class PosternBinary
{
    public static int Exec(string personality, IReadOnlyList<string> args)
    {
        // The directory of the real executable (symlinks resolved): /usr/sbin/sendmail -> /usr/lib/postern/sendmail.
        var path = Path.Combine(AppContext.BaseDirectory, "postern");
        var argv = new IntPtr[args.Count + 3];
        argv[0] = Marshal.StringToCoTaskMemUTF8(path);
        argv[1] = Marshal.StringToCoTaskMemUTF8(personality);
        for (var i = 0; i < args.Count; i++)
        {
            argv[i + 2] = Marshal.StringToCoTaskMemUTF8(args[i]);
        }
        Console.Out.Flush();
        Console.Error.Flush();
        ExecV(path, argv);
        // execv returns only on failure.
        var error = Marshal.GetLastPInvokeErrorMessage();
        Console.Error.WriteLine($"{personality}: cannot run {path}: {error}");
        return ExitCodes.OsError;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecV(string path, IntPtr[] argv);
}
