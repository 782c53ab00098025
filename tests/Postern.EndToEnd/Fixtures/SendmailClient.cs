using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Seed 000's laptop: Debian's real Sendmail (sendmail-bin 8.17, unpacked by ./test.sh into
/// <see cref="Root"/>, never installed: it conflicts with postfix) with a .cf built by m4 from a
/// seed-like sendmail.mc: <c>SMART_HOST</c> is Postern on its loopback port and an included
/// starttls.m4 sets <c>confCLIENT_CERT</c>/<c>confCLIENT_KEY</c>, <c>confCACERT</c> and
/// <c>confCACERT_PATH</c> as Debian's /etc/mail/tls/starttls.m4 does. Each send is one
/// <c>sendmail -C sendmail.cf -odi -t</c> run (no daemon, no port 25, nothing under /etc/mail).
/// </summary>
public sealed class SendmailClient : IDisposable
{
    /// <summary>What ./test.sh unpacks into (the .debs' own tree: usr/libexec/sendmail, usr/share/sendmail/cf...).</summary>
    public const string Root = "/var/cache/postern-test/sendmail";

    /// <summary>
    /// Sendmail qualifies its host name before it reads any .cf: a name that resolves (from
    /// /etc/hosts, as a container's does) but has no dot costs a 60-second sleep. The client runs
    /// in its own UTS namespace as client.test when it may; this is checked once.
    /// </summary>
    private static readonly Lazy<Task<bool>> OwnHostName = new(async () =>
        (await ExternalCommand.RunAsync("unshare", "--uts", "hostname", "client.test")).Code == 0);

    private static readonly string[] InOwnNamespace = ["--uts", "sh", "-c", "hostname client.test && exec \"$0\" \"$@\""];

    private static readonly TimeSpan RunWait = TimeSpan.FromSeconds(150);

    private SendmailClient(string directory) => Directory = directory;

    /// <summary>Holds sendmail.mc, starttls.m4, sendmail.cf, service.switch, the trusted CA (certs/) and the queue.</summary>
    public string Directory { get; }

    public string ConfigFile => Path.Combine(Directory, "sendmail.cf");

    private static string Binary => Path.Combine(Root, "usr", "libexec", "sendmail", "sendmail");

    /// <summary>
    /// A client presenting <paramref name="certificate"/> (.pem and .key in the test PKI) to the
    /// smart host on 127.0.0.1:<paramref name="smartHostPort"/>, trusting the CA in
    /// <paramref name="trust"/>. Sendmail sends only the certificate from confCLIENT_CERT and
    /// OpenSSL completes the chain from the CAs it trusts: with the forged certificate, trusting
    /// Joe's CA makes it send the real CA's certificate, trusting the impostor sends the impostor's.
    /// </summary>
    public static async Task<SendmailClient> CreateAsync(TestPki pki, string certificate, int smartHostPort, string trust = "ca.pem")
    {
        if (!File.Exists(Binary) || !System.IO.Directory.Exists(Path.Combine(Root, "usr", "share", "sendmail", "cf")))
        {
            throw new InvalidOperationException($"{Binary} or its cf macros are missing: ./test.sh unpacks sendmail-bin and sendmail-cf into {Root}");
        }
        var client = new SendmailClient(Path.Combine(Path.GetTempPath(), "postern-sendmail-" + Guid.NewGuid().ToString("N")[..12]));
        try
        {
            // Sendmail refuses a queue that others may read: mode 0700.
            System.IO.Directory.CreateDirectory(Path.Combine(client.Directory, "queue"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // confCACERT_PATH: a directory holding the trusted CA only (as Debian's /etc/mail/tls does).
            System.IO.Directory.CreateDirectory(Path.Combine(client.Directory, "certs"));
            File.Copy(pki[trust], Path.Combine(client.Directory, "certs", "ca.pem"));
            await File.WriteAllTextAsync(Path.Combine(client.Directory, "starttls.m4"), StartTlsM4(pki, client.Directory, certificate));
            await File.WriteAllTextAsync(Path.Combine(client.Directory, "service.switch"), "hosts files\naliases files\n");
            await File.WriteAllTextAsync(Path.Combine(client.Directory, "sendmail.mc"), SendmailMc(client.Directory, smartHostPort));
            var (code, output) = await RunAsync("m4", ["sendmail.mc"], client.Directory, stdin: null, TimeSpan.FromSeconds(30));
            if (code != 0)
            {
                throw new InvalidOperationException("m4 sendmail.mc failed (./test.sh installs m4):\n" + output);
            }
            await File.WriteAllTextAsync(client.ConfigFile, output);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>As Debian's /etc/mail/tls/starttls.m4, pointing at the test PKI.</summary>
    internal static string StartTlsM4(TestPki pki, string directory, string certificate) => $"""
        dnl The client's side of seed 000: its certificate and key, and the CA it trusts.
        define(`confCACERT_PATH', `{directory}/certs')dnl
        define(`confCACERT', `{directory}/certs/ca.pem')dnl
        define(`confCLIENT_CERT', `{pki[certificate + ".pem"]}')dnl
        define(`confCLIENT_KEY', `{pki[certificate + ".key"]}')dnl

        """;

    /// <summary>
    /// Seed 000's client sendmail.mc, cut to a null client of its smart host. The rest makes a
    /// private one-shot instance work as root under /tmp without touching the system's files.
    /// </summary>
    internal static string SendmailMc(string directory, int smartHostPort) => $"""
        divert(-1)dnl
        include(`{Root}/usr/share/sendmail/cf/m4/cf.m4')dnl
        VERSIONID(`postern end-to-end: seed 000 laptop relaying by client certificate')dnl
        OSTYPE(`linux')dnl
        define(`confDOMAIN_NAME', `client.test')dnl
        dnl Postern on its loopback port. Without this, [127.0.0.1] is one of "our" addresses
        dnl (class w) and sendmail would skip the smart host as itself.
        define(`confDONT_PROBE_INTERFACES', `true')dnl
        define(`SMART_HOST', `[127.0.0.1]')dnl
        define(`RELAY_MAILER_ARGS', `TCP $h {smartHostPort.ToString(CultureInfo.InvariantCulture)}')dnl
        dnl Temp files live under /tmp (world-writable, sticky): the certificates are only trusted there with this.
        define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl
        dnl Deliver at once however busy the machine is: by default a high load average only queues.
        define(`confQUEUE_LA', `1000')dnl
        define(`confREFUSE_LA', `1000')dnl
        define(`QUEUE_DIR', `{directory}/queue')dnl
        define(`confSERVICE_SWITCH_FILE', `{directory}/service.switch')dnl
        define(`ALIAS_FILE', `')dnl
        define(`confTO_CONNECT', `30s')dnl
        define(`confTO_ICONNECT', `30s')dnl
        define(`confTO_COMMAND', `1m')dnl
        FEATURE(`nocanonify')dnl
        include(`{directory}/starttls.m4')dnl
        MAILER(`smtp')dnl

        """;

    /// <summary>
    /// Submits <paramref name="message"/> (headers and body; the recipients are its To: header, -t)
    /// and delivers it at once (-odi) with the SMTP transcript (-v). No DSN is asked for (-N never)
    /// and errors are not mailed back (-oeq): a refusal shows in the transcript and the exit code.
    /// </summary>
    public async Task<(int Code, string Transcript)> SendAsync(string sender, string message)
    {
        string[] sendmail = [Binary, "-C", ConfigFile, "-odi", "-oeq", "-N", "never", "-v", "-f", sender, "-t"];
        var (file, arguments) = await OwnHostName.Value
            ? ("unshare", [.. InOwnNamespace, .. sendmail])
            : (sendmail[0], sendmail[1..]);
        return await RunAsync(file, arguments, Directory, message.ReplaceLineEndings("\n"), RunWait);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string directory, string? stdin, TimeSpan wait)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // libwrap0 is unpacked beside sendmail when the system lacks it.
        var libraries = System.IO.Directory.GetFiles(Path.Combine(Root, "usr", "lib"), "libwrap.so.0", SearchOption.AllDirectories);
        if (libraries.Length > 0)
        {
            info.Environment["LD_LIBRARY_PATH"] = Path.GetDirectoryName(libraries[0]);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {wait}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
