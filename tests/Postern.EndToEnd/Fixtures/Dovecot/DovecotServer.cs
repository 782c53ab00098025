using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Dovecot;

/// <summary>
/// A private Dovecot (Debian's dovecot-core and dovecot-lmtpd) speaking LMTP only: its own
/// configuration, base_dir, state_dir, log and Maildirs in a temp directory, an LMTP listener on a
/// free loopback port and a Unix socket (<see cref="SocketPath"/>), users from a passwd-file
/// (full addresses: <c>alice@localhost</c>, <c>bob@virt.test</c>). Run with <c>dovecot -F</c> and
/// stopped by its PID; the system's Dovecot is neither configured nor started. Dovecot refuses to
/// write mail as root: as root, mail is written as nobody (the Maildirs' owner); otherwise as the
/// test's own user, which is also Dovecot's internal and login user.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/dovecot";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private static readonly string[] MaildirFolders = ["new", "cur"];
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private DovecotServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    /// <summary>The temp directory holding everything of this instance.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string ConfigPath => Path.Combine(Directory, "dovecot.conf");

    /// <summary>The LMTP Unix socket (in base_dir, as Dovecot names it).</summary>
    public string SocketPath => Path.Combine(Directory, "run", "lmtp");

    /// <summary><c>local.transport</c> or <c>virtual.transport</c> for the TCP listener.</summary>
    public string TcpTransport => "lmtp:[127.0.0.1]:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The same for the Unix socket.</summary>
    public string UnixTransport => "lmtp:unix:" + SocketPath;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Dovecot's own log (log_path) and what it wrote on stdout and stderr.</summary>
    public string Log
    {
        get
        {
            var log = Path.Combine(Directory, "dovecot.log");
            return (File.Exists(log) ? File.ReadAllText(log) : string.Empty) + string.Join('\n', _output);
        }
    }

    /// <summary>Starts Dovecot with mailboxes for <paramref name="users"/> (full addresses).</summary>
    public static async Task<DovecotServer> StartAsync(params string[] users)
    {
        if (!File.Exists(Binary) || !File.Exists("/usr/lib/dovecot/lmtp"))
        {
            throw new InvalidOperationException($"{Binary} or its LMTP server is missing: install the Debian packages dovecot-core and dovecot-lmtpd (./test.sh does)");
        }
        var directory = Path.Combine(Path.GetTempPath(), "postern-e2e-dovecot-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new DovecotServer(directory, ForegroundDaemon.FreePort());
        await server.WriteFilesAsync(users);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts it (again, after <see cref="StopAsync"/>) on the same port and socket.</summary>
    public async Task StartAsync()
    {
        // A master.pid left by a killed instance would make Dovecot refuse to start.
        File.Delete(Path.Combine(Directory, "run", "master.pid"));
        var info = new ProcessStartInfo(Binary, ["-c", ConfigPath, "-F"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + StartWait;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (ProcFs.IsListening(process.Id, Port) && File.Exists(SocketPath))
            {
                return;
            }
            await Task.Delay(50);
        }
        var exited = process.HasExited;
        await StopAsync();
        throw new InvalidOperationException($"dovecot did not listen on 127.0.0.1:{Port} within {StartWait.TotalSeconds} s (exited: {exited}):\n{Log}");
    }

    /// <summary>Stops it by its PID (SIGTERM: the master stops its children), waiting for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }
        _process = null;
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(StopWait);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
    }

    /// <summary>The messages in <paramref name="address"/>'s INBOX (Maildir new/ and cur/).</summary>
    public IReadOnlyList<string> Messages(string address)
    {
        var maildir = MaildirOf(address);
        return [.. MaildirFolders
            .Select(sub => Path.Combine(maildir, sub))
            .Where(System.IO.Directory.Exists)
            .SelectMany(System.IO.Directory.GetFiles)
            .Select(File.ReadAllText)];
    }

    /// <summary>Waits until a message holding <paramref name="token"/> is in <paramref name="address"/>'s INBOX.</summary>
    public async Task<string> WaitForMessageAsync(string address, string token, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Messages(address).FirstOrDefault(m => m.Contains(token, StringComparison.Ordinal)) is { } message)
            {
                return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no message with {token} for {address} in Dovecot; its log:\n{Log}");
    }

    /// <summary>mail_location is maildir:DIR/mail/%d/%n/Maildir.</summary>
    public string MaildirOf(string address)
    {
        var at = address.LastIndexOf('@');
        return Path.Combine(Directory, "mail", address[(at + 1)..].ToLowerInvariant(), address[..at].ToLowerInvariant(), "Maildir");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child still closing a file: the temp directory is left behind.
        }
    }

    private async Task WriteFilesAsync(string[] users)
    {
        var mail = Path.Combine(Directory, "mail");
        System.IO.Directory.CreateDirectory(mail);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "run"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "state"));
        var root = Environment.UserName == "root";
        var self = Environment.UserName;
        var group = root ? "nogroup" : (await Output("id", "-gn")).Trim();
        var mailUser = root ? "nobody" : self;
        if (root)
        {
            // Dovecot never writes mail as root: the Maildirs belong to nobody.
            await Output("chown", "nobody:nogroup", mail);
        }
        var passwd = new StringBuilder();
        foreach (var user in users)
        {
            passwd.Append(user.ToLowerInvariant()).Append(":{PLAIN}secret::::::\n");
        }
        var passwdFile = Path.Combine(Directory, "users");
        await File.WriteAllTextAsync(passwdFile, passwd.ToString());
        var config = $$"""
            protocols = lmtp
            instance_name = postern-e2e-{{Port}}
            base_dir = {{Directory}}/run
            state_dir = {{Directory}}/state
            log_path = {{Directory}}/dovecot.log
            info_log_path = {{Directory}}/dovecot.log
            listen = 127.0.0.1
            ssl = no
            default_internal_user = {{(root ? "dovecot" : self)}}
            default_internal_group = {{(root ? "dovecot" : group)}}
            default_login_user = {{(root ? "dovenull" : self)}}
            mail_uid = {{mailUser}}
            mail_gid = {{group}}
            first_valid_uid = 1
            mail_location = maildir:{{mail}}/%d/%n/Maildir
            passdb {
              driver = passwd-file
              args = {{passwdFile}}
            }
            userdb {
              driver = passwd-file
              args = {{passwdFile}}
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{Port}}
              }
              unix_listener lmtp {
                mode = 0666
              }
            }
            service anvil {
              chroot =
            }
            service stats {
              unix_listener stats-writer {
                mode = 0666
              }
            }

            """;
        await File.WriteAllTextAsync(ConfigPath, config);
    }

    private static async Task<string> Output(string file, params string[] arguments)
    {
        var (code, output) = await ExternalCommand.RunAsync(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {output}");
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
