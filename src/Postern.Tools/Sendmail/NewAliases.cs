using System.Globalization;
using System.Text;
using Postern.Config;
using Postern.Config.Loading;
using Postern.Delivery.Aliases;
using Postern.Tools.Daemon;

namespace Postern.Tools.Sendmail;

/// <summary>
/// <c>newaliases</c> / <c>sendmail -bi</c>: Postern reads the aliases text file directly (there is
/// no aliases.db to rebuild), so this validates it, prints sendmail's summary line and asks a
/// running daemon to reload it (SIGHUP). Errors name the file and line; exit 78, nothing reloaded.
/// </summary>
public static class NewAliases
{
    public static int Run(PosternConfiguration configuration, bool verbose, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Local.AliasesFile is not { } path)
        {
            output.WriteLine("newaliases: no aliases file configured (local.aliases); nothing to do");
            return ExitCodes.Ok;
        }
        var directory = LocalDirectoryLoader.TryLoad(configuration.Local, error);
        if (directory?.Aliases is not { } aliases)
        {
            error.WriteLine($"newaliases: {path}: not rebuilt; the running daemon keeps its previous aliases");
            return ExitCodes.Config;
        }
        output.WriteLine(Summary(path, aliases));
        if (PidFile.FindDaemon(configuration.DataDirectory, out var problem) is { } pid)
        {
            var signalled = PidFile.Signal(pid, PidFile.Hangup);
            if (verbose || !signalled)
            {
                (signalled ? output : error).WriteLine(signalled
                    ? $"newaliases: asked the daemon (pid {pid}) to reload"
                    : $"newaliases: cannot signal the daemon (pid {pid}); it reloads at its next start or SIGHUP");
            }
        }
        else if (verbose)
        {
            output.WriteLine($"newaliases: no running daemon ({problem}); it reads the file when it starts");
        }
        return ExitCodes.Ok;
    }

    /// <summary>sendmail's line: <c>/etc/aliases: 3 aliases, longest 10 bytes, 42 bytes total</c> (name plus value bytes).</summary>
    public static string Summary(string path, AliasesFile aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var longest = 0;
        var total = 0;
        foreach (var entry in aliases.Entries.Values)
        {
            var value = Encoding.UTF8.GetByteCount(string.Join(",", entry.Values.Select(v => v.ToString())));
            longest = Math.Max(longest, value);
            total += Encoding.UTF8.GetByteCount(entry.Name) + value;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{path}: {aliases.Entries.Count} aliases, longest {longest} bytes, {total} bytes total");
    }
}
