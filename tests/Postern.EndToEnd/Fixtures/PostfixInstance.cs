using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A private Postfix (the Debian package) for one test: its own configuration, queue and data
/// directories under a temp directory, one smtpd on a free loopback port that demands a client
/// certificate signed by the test CA, and the virtual delivery agent writing every mail for
/// postfix.test into one Maildir. The system's Postfix (if any) is neither used nor touched.
/// </summary>
public sealed class PostfixInstance : IAsyncDisposable
{
    private const string Postfix = "/usr/sbin/postfix";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan GreetingWait = TimeSpan.FromSeconds(30);

    private PostfixInstance(string directory, IPAddress address, int port)
    {
        Directory = directory;
        Address = address;
        Port = port;
    }

    public string Directory { get; }

    /// <summary>The loopback address smtpd listens on: 127.0.0.1, or an MX host's own (<see cref="StartMxAsync"/>).</summary>
    public IPAddress Address { get; }

    public int Port { get; }

    private string ConfigDirectory => Path.Combine(Directory, "conf");

    /// <summary>The Maildir "new" folder every postfix.test recipient is delivered to.</summary>
    public string MaildirNew => Path.Combine(Directory, "mail", "inbox", "new");

    /// <summary>Postfix's own log (maillog_file, written through postlogd).</summary>
    public string Log => File.Exists(Path.Combine(Directory, "maillog")) ? File.ReadAllText(Path.Combine(Directory, "maillog")) : "(no maillog)";

    public static Task<PostfixInstance> StartAsync(TestPki pki) => StartAsync(pki, extraMainCf: "");

    /// <summary>
    /// The same Postfix as a client of Postern: mail for other domains goes to the relayhost
    /// [127.0.0.1]:<paramref name="relayPort"/> over mandatory TLS, presenting
    /// <paramref name="certificate"/> (.pem, .key in the test PKI) when asked.
    /// </summary>
    public static Task<PostfixInstance> StartClientAsync(TestPki pki, string certificate, int relayPort) =>
        StartAsync(pki, ClientCf(pki, certificate, relayPort));

    /// <summary>The same Postfix with more main.cf lines; later lines override earlier ones (postconf semantics).</summary>
    public static async Task<PostfixInstance> StartAsync(TestPki pki, string extraMainCf)
    {
        if (!File.Exists(Postfix))
        {
            throw new InvalidOperationException($"{Postfix} is missing: install the Debian package postfix (./test.sh does)");
        }
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("a private Postfix instance must be started as root (postfix drops to mail_owner itself)");
        }
        // A free port can be taken by another test's process between FreePort and postfix's bind:
        // the probe then meets that process, not postfix, and the instance starts again elsewhere.
        for (var attempt = 1; ; attempt++)
        {
            var directory = Path.Combine(Path.GetTempPath(), "postern-postfix-" + Guid.NewGuid().ToString("N")[..12]);
            var instance = new PostfixInstance(directory, IPAddress.Loopback, FreePort());
            try
            {
                await instance.StartAsync(pki.Directory, pki["ca.pem"], extraMainCf, resolvConf: null);
                return instance;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                await instance.DisposeAsync();
            }
            catch
            {
                await instance.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// The same Postfix as an MX host: smtpd on <paramref name="address"/> port 25 (where MX delivery
    /// connects; the address is the one the test zone's A record names), its certificate from
    /// <paramref name="extraMainCf"/> (<c>smtpd_tls_cert_file</c>, ...). With
    /// <paramref name="resolvConf"/> every Postfix process runs in a private mount namespace where
    /// that file is /etc/resolv.conf: its own DNS lookups (the smtp client's MX, TLSA and address
    /// queries) go to the test's resolver instead of the system's, which stays untouched.
    /// </summary>
    public static async Task<PostfixInstance> StartMxAsync(IPAddress address, string caFile, string extraMainCf, string? resolvConf = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-postfix-" + Guid.NewGuid().ToString("N")[..12]);
        var instance = new PostfixInstance(directory, address, 25);
        try
        {
            await instance.StartAsync(Path.GetDirectoryName(caFile)!, caFile,
                // inet_interfaces stays 127.0.0.1 (Postfix refuses an address no interface has
                // exactly); master.cf binds smtpd to the MX address itself.
                """
                mynetworks = 127.0.0.0/8
                smtpd_tls_security_level = may
                smtpd_tls_ask_ccert = no
                smtpd_tls_req_ccert = no

                """ + extraMainCf, resolvConf);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    private sealed class PortTakenException(string message) : Exception(message);

    private async Task StartAsync(string pkiDirectory, string caFile, string extraMainCf, string? resolvConf)
    {
        foreach (var sub in new[] { "conf", "queue", "data", "mail" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }
        // The queue stays root's (postfix check makes its subdirectories); data and the mailboxes are the mail owner's.
        await RunAsync("chown", "postfix:", Path.Combine(Directory, "data"));
        await RunAsync("chown", "postfix:", Path.Combine(Directory, "mail"));
        var uid = (await RunAsync("id", "-u", "postfix")).Trim();
        var gid = (await RunAsync("id", "-g", "postfix")).Trim();
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "main.cf"), Merge(MainCf(Directory, pkiDirectory, caFile, uid, gid), extraMainCf));
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "master.cf"), MasterCf(Address, Port));

        // postfix logs its own errors to syslog unless stderr is a tty; the maillog has them too.
        await RunAsync(Postfix, "-c", ConfigDirectory, "check");
        if (resolvConf is null)
        {
            await RunAsync(Postfix, "-c", ConfigDirectory, "start");
        }
        else
        {
            // The master daemonizes inside the namespace and keeps it (with the bind mount) for all its children.
            await RunAsync("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec \"$1\" -c \"$2\" start", resolvConf, Postfix, ConfigDirectory);
        }
        var deadline = DateTime.UtcNow + StartWait;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Address, Port);
                await ExpectOwnGreetingAsync(probe);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"postfix did not listen on {Address}:{Port}: {e.Message}\n{Log}", e);
            }
        }
    }

    /// <summary>The listener on the port must be this instance's smtpd (myhostname postfix.test), not another test's process.</summary>
    private async Task ExpectOwnGreetingAsync(TcpClient probe)
    {
        using var reader = new StreamReader(probe.GetStream(), Encoding.ASCII);
        using var wait = new CancellationTokenSource(GreetingWait);
        string? greeting;
        try
        {
            greeting = await reader.ReadLineAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            greeting = null;
        }
        // Every instance is postfix.test; the banner names the instance, so another test's Postfix never passes for this one.
        if (greeting != "220 postfix.test ESMTP Postfix instance " + Path.GetFileName(Directory))
        {
            throw new PortTakenException($"{Address}:{Port} answered '{greeting}', not this postfix instance\n{Log}");
        }
    }

    /// <summary>
    /// main.cf with the extra lines applied: a parameter set again replaces the earlier value in place
    /// (what postconf would keep). Written twice, Postfix warns "overriding earlier entry" at every
    /// program start, and postlogd, logging that warning to its own socket, deadlocks.
    /// </summary>
    internal static string Merge(string mainCf, string extraMainCf)
    {
        var lines = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = -1;
        foreach (var line in (mainCf + "\n" + extraMainCf).Split('\n'))
        {
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                // A continuation line belongs to the parameter above it.
                lines[current] += "\n" + line;
                continue;
            }
            var key = line[..Math.Max(0, line.IndexOf('=', StringComparison.Ordinal))].Trim();
            if (index.TryGetValue(key, out current))
            {
                lines[current] = line;
            }
            else
            {
                current = index[key] = lines.Count;
                lines.Add(line);
            }
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// Only what the test needs: no local delivery, no aliases; postfix.test is a virtual mailbox
    /// domain whose every address lands in DIR/mail/inbox/ (Maildir: the trailing slash). TLS is
    /// mandatory and so is a client certificate that verifies against the test CA
    /// (smtpd_tls_req_ccert), so a message that arrives proves Postern presented Joe User's.
    /// </summary>
    internal static string MainCf(string directory, string pkiDirectory, string caFile, string uid, string gid) => $"""
        compatibility_level = 3.6
        queue_directory = {directory}/queue
        data_directory = {directory}/data
        mail_owner = postfix
        setgid_group = postdrop
        myhostname = postfix.test
        smtpd_banner = $myhostname ESMTP Postfix instance {Path.GetFileName(directory)}
        mydomain = postfix.test
        myorigin = postfix.test
        mydestination =
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.1/32
        alias_maps =
        alias_database =
        local_recipient_maps =
        biff = no
        maillog_file = {directory}/maillog
        maillog_file_prefixes = {directory}
        smtpd_tls_security_level = encrypt
        smtpd_tls_ask_ccert = yes
        smtpd_tls_req_ccert = yes
        smtpd_tls_cert_file = {pkiDirectory}/server.pem
        smtpd_tls_key_file = {pkiDirectory}/server.key
        smtpd_tls_CAfile = {caFile}
        smtpd_tls_received_header = yes
        smtpd_tls_loglevel = 1
        smtpd_relay_restrictions = permit_tls_all_clientcerts, reject_unauth_destination
        virtual_mailbox_domains = postfix.test
        virtual_mailbox_base = {directory}/mail
        virtual_mailbox_maps = static:inbox/
        virtual_minimum_uid = 1
        virtual_uid_maps = static:{uid}
        virtual_gid_maps = static:{gid}

        """;

    /// <summary>
    /// A client of a smart host that relays by certificate: relayhost, smtp_tls_security_level
    /// encrypt, and the client certificate and key (smtp_tls_cert_file, smtp_tls_key_file).
    /// </summary>
    internal static string ClientCf(TestPki pki, string certificate, int relayPort) => $"""
        relayhost = [127.0.0.1]:{relayPort.ToString(CultureInfo.InvariantCulture)}
        smtp_tls_security_level = encrypt
        smtp_tls_cert_file = {pki[certificate + ".pem"]}
        smtp_tls_key_file = {pki[certificate + ".key"]}
        smtp_tls_CAfile = {pki["ca.pem"]}
        smtp_tls_loglevel = 1

        """;

    /// <summary>
    /// Local submission through Postfix's own sendmail command (postdrop, pickup): the recipients
    /// are the message's To: header (-t).
    /// </summary>
    public async Task SubmitAsync(string sender, string message)
    {
        var file = Path.Combine(Directory, "submit-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllTextAsync(file, message.ReplaceLineEndings("\n"));
        try
        {
            await RunAsync("sh", "-c", "exec /usr/sbin/sendmail -C \"$0\" -f \"$1\" -t < \"$2\"", ConfigDirectory, sender, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Debian's master.cf cut to the services used, nothing chrooted, smtpd on the test address and port only.</summary>
    internal static string MasterCf(IPAddress address, int port) => $"""
        {address}:{port.ToString(CultureInfo.InvariantCulture)} inet n - n - - smtpd
        pickup unix n - n 60 1 pickup
        cleanup unix n - n - 0 cleanup
        qmgr unix n - n 300 1 qmgr
        tlsmgr unix - - n 1000? 1 tlsmgr
        rewrite unix - - n - - trivial-rewrite
        bounce unix - - n - 0 bounce
        defer unix - - n - 0 bounce
        trace unix - - n - 0 bounce
        verify unix - - n - 1 verify
        flush unix n - n 1000? 0 flush
        proxymap unix - - n - - proxymap
        showq unix n - n - - showq
        error unix - - n - - error
        retry unix - - n - - error
        discard unix - - n - - discard
        local unix - n n - - local
        virtual unix - n n - - virtual
        smtp unix - - n - - smtp
        relay unix - - n - - smtp
        anvil unix - - n - 1 anvil
        scache unix - - n - 1 scache
        postlog unix-dgram n - n - 1 postlogd

        """;

    /// <summary>Waits until a delivered message contains <paramref name="token"/>.</summary>
    public async Task<string> WaitForMailAsync(string token, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in System.IO.Directory.Exists(MaildirNew) ? System.IO.Directory.GetFiles(MaildirNew) : [])
            {
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains(token, StringComparison.Ordinal))
                {
                    return text;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"postfix delivered no mail with {token}; postfix log:\n{Log}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task<string> RunAsync(string file, params string[] arguments)
    {
        var (code, output) = await ExternalCommand.RunAsync(file, arguments);
        return code == 0 ? output["exit 0\n".Length..] : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {output}\npostfix log:\n{Log}");
    }

    /// <summary>Stops this instance only: `postfix stop`, then SIGKILL to its own master if it is still there.</summary>
    public async ValueTask DisposeAsync()
    {
        var master = await MasterPidAsync();
        if (File.Exists(Path.Combine(ConfigDirectory, "main.cf")))
        {
            try
            {
                await ExternalCommand.RunAsync(Postfix, "-c", ConfigDirectory, "stop");
            }
            catch (TimeoutException)
            {
                // `postfix stop` itself hung (seen once on a loaded machine): the SIGKILL below ends this instance's master.
            }
        }
        if (master > 0)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (IsRunning(master) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            if (IsRunning(master))
            {
                await ExternalCommand.RunAsync("kill", "-KILL", master.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>
    /// The master's pid from its pid file, read with cat: the master holds an exclusive lock on the
    /// file, which .NET's FileShare emulation refuses to read past.
    /// </summary>
    private async Task<int> MasterPidAsync()
    {
        var pidFile = Path.Combine(Directory, "queue", "pid", "master.pid");
        if (!File.Exists(pidFile))
        {
            return 0;
        }
        var (code, output) = await ExternalCommand.RunAsync("cat", pidFile);
        return code == 0 && int.TryParse(output["exit 0\n".Length..].Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    /// <summary>Alive and not a zombie waiting for whoever inherited it to reap it.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
