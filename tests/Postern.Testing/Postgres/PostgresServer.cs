using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.Testing.Postgres;

/// <summary>
/// A private PostgreSQL 15 for one test class: <c>initdb</c> into a temporary directory (trust
/// authentication, superuser <c>postern</c>, database <c>postern</c>), started with
/// <c>pg_ctl</c> on a free loopback port with its socket in that directory, stopped by
/// <c>pg_ctl stop -m immediate</c> (or by its PID) and deleted on dispose. The system's cluster is
/// never touched. PostgreSQL refuses to run as root, so under root the directory is handed to an
/// unprivileged account (<c>postgres</c> when Debian's package created it, else <c>nobody</c>)
/// and the server programs run as that account through <c>runuser</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string UserName = "postern";
    public const string DatabaseName = "postern";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string? _runAs;

    private PostgresServer(string root, int port, string? runAs)
    {
        _root = root;
        Port = port;
        _runAs = runAs;
    }

    /// <summary>The loopback port the server listens on (kept across <see cref="StopAsync"/> and <see cref="StartAsync()"/>).</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string for the <c>postern</c> database as the <c>postern</c> superuser.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Database={DatabaseName};Username={UserName}");

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Whether PostgreSQL 15's programs are installed where Debian puts them.</summary>
    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "initdb")) && File.Exists(Path.Combine(BinDirectory, "pg_ctl"));

    /// <summary>Creates the cluster and the <c>postern</c> database, and starts the server.</summary>
    public static async Task<PostgresServer> CreateAsync()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}): apt-get install postgresql-15");
        }
        var root = Directory.CreateTempSubdirectory("postern-pg-").FullName;
        var runAs = Environment.IsPrivilegedProcess ? UnprivilegedAccount() : null;
        var server = new PostgresServer(root, FreePort(), runAs);
        try
        {
            if (runAs is not null)
            {
                await Run("chown", ["-R", runAs + ":", root], null).ConfigureAwait(false);
            }
            await server.RunServerProgram("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", UserName, "-E", "UTF8", "--locale=C", "--no-sync"]).ConfigureAwait(false);
            await server.StartAsync().ConfigureAwait(false);
            await Run(Path.Combine(BinDirectory, "createdb"), ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", UserName, DatabaseName], null).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and data; returns once it accepts connections.</summary>
    /// <remarks>
    /// <c>fsync=off</c> keeps the tests fast and still survives <see cref="StopAsync"/>: the WAL reaches
    /// the operating system at commit and only a machine crash would lose it. <c>synchronous_commit</c>
    /// stays on, because with it off a commit waits in shared memory for the WAL writer and an immediate
    /// stop right after an INSERT loses the row (the outage test saw its row gone after the restart).
    /// </remarks>
    public Task StartAsync() => RunServerProgram("pg_ctl", [
        "-D", DataDirectory,
        "-l", Path.Combine(_root, "server.log"),
        "-o", string.Create(CultureInfo.InvariantCulture, $"-k {_root} -h 127.0.0.1 -p {Port} -c fsync=off -c full_page_writes=off -c max_connections=100"),
        "-w", "-t", "60", "start",
    ]);

    /// <summary>Stops the server at once (<c>-m immediate</c>: every connection is cut, as when the database host dies).</summary>
    public async Task StopAsync()
    {
        if (ServerPid() is null)
        {
            return;
        }
        try
        {
            await RunServerProgram("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            KillServer();
        }
    }

    /// <summary>The server's log so far, for a failing test's message.</summary>
    public string Log()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_root, "server.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            KillServer();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written by a dying server; the temporary directory is left.
        }
    }

    /// <summary>The postmaster's PID from its pid file (its first line), while it runs.</summary>
    private int? ServerPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void KillServer()
    {
        if (ServerPid() is not { } pid)
        {
            return;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            // Only the postmaster this fixture started: its command line names our data directory.
            if (File.ReadAllText($"/proc/{pid}/cmdline").Contains(DataDirectory, StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            // Already gone.
        }
    }

    private Task RunServerProgram(string program, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(BinDirectory, program);
        return _runAs is null
            ? Run(path, arguments, _root)
            : Run("runuser", ["-u", _runAs, "--", path, .. arguments], _root);
    }

    private static async Task Run(string program, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within {CommandTimeout.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static string UnprivilegedAccount()
    {
        var passwd = File.ReadAllLines("/etc/passwd");
        return passwd.Any(line => line.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
