using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Builds the postern.toml the tests start servers with, so the parts every test repeats (host name,
/// listeners on free loopback ports, local domains and users, the test PKI's server certificate, a
/// route to a sink) are written once. The sections come out in a fixed order: [server], the
/// listeners, [local], [tls], then the extra sections in the order they were added. Anything the
/// builder has no method for goes in as TOML with <see cref="WithSection"/>.
/// </summary>
public sealed class PosternConfig
{
    private readonly string _hostName;
    private readonly List<string> _listeners = [];
    private readonly List<string> _sections = [];
    private string _server = "";
    private string _local = "";
    private string _tls = "";

    private PosternConfig(string hostName) => _hostName = hostName;

    /// <summary>A server named <paramref name="hostName"/>, with nothing else yet.</summary>
    public static PosternConfig Host(string hostName) => new(hostName);

    /// <summary>
    /// A listener on a free loopback port, or on <paramref name="address"/> (<c>127.64.1.2:25</c>, an
    /// MX host's). <paramref name="tls"/>, <paramref name="clientCert"/> and <paramref name="auth"/>
    /// are written only when given; <paramref name="extra"/> is more keys for it.
    /// </summary>
    public PosternConfig WithListener(string name, string role, string? tls = null, string? clientCert = null, string? auth = null, string extra = "", string address = "127.0.0.1:0")
    {
        var block = new StringBuilder();
        block.Append(CultureInfo.InvariantCulture, $"[[listener]]\nname = \"{name}\"\naddress = \"{address}\"\nrole = \"{role}\"\n");
        AppendKey(block, "tls", tls);
        AppendKey(block, "client_cert", clientCert);
        AppendKey(block, "auth", auth);
        if (extra.Length > 0)
        {
            block.Append(extra).Append('\n');
        }
        _listeners.Add(block.ToString());
        return this;
    }

    /// <summary>More keys for the [server] section, as TOML (<c>milters = ["opendkim"]</c>).</summary>
    public PosternConfig WithServerKeys(string toml)
    {
        _server += toml.TrimEnd('\n') + "\n";
        return this;
    }

    /// <summary>The [local] section: its domains and users, and <paramref name="extra"/> keys (mailbox_root...).</summary>
    public PosternConfig WithLocal(string[] domains, string[] users, string extra = "")
    {
        _local = "[local]\ndomains = " + List(domains) + "\nusers = " + List(users) + "\n" + (extra.Length > 0 ? extra + "\n" : "");
        return this;
    }

    /// <summary>The [tls] section with the test PKI's server certificate and CA.</summary>
    public PosternConfig WithServerTls(TestPki pki, string serverCert = "server.pem", string serverKey = "server.key")
    {
        _tls = $"[tls]\nserver_cert = \"{pki[serverCert]}\"\nserver_key = \"{pki[serverKey]}\"\nca_file = \"{pki["ca.pem"]}\"\n";
        return this;
    }

    /// <summary>The [tls] section with the given server certificate, key and CA files.</summary>
    public PosternConfig WithServerTls(string certFile, string keyFile, string caFile)
    {
        _tls = $"[tls]\nserver_cert = \"{certFile}\"\nserver_key = \"{keyFile}\"\nca_file = \"{caFile}\"\n";
        return this;
    }

    /// <summary>A [[route]] sending <paramref name="domain"/> to a sink on a loopback port.</summary>
    public PosternConfig WithRoute(string domain, int port) =>
        WithSection($"[[route]]\ndomain = \"{domain}\"\nvia = \"[127.0.0.1]:{port.ToString(CultureInfo.InvariantCulture)}\"");

    /// <summary>A section (or several) written as TOML, after the ones above.</summary>
    public PosternConfig WithSection(string toml)
    {
        _sections.Add(toml.TrimEnd('\n') + "\n");
        return this;
    }

    public string ToToml()
    {
        var parts = new List<string> { $"[server]\nhostname = \"{_hostName}\"\n" + _server };
        parts.AddRange(_listeners);
        parts.Add(_local);
        parts.Add(_tls);
        parts.AddRange(_sections);
        return string.Join("\n", parts.Where(p => p.Length > 0));
    }

    public override string ToString() => ToToml();

    private static void AppendKey(StringBuilder block, string key, string? value)
    {
        if (value is not null)
        {
            block.Append(CultureInfo.InvariantCulture, $"{key} = \"{value}\"\n");
        }
    }

    private static string List(string[] values) => "[" + string.Join(", ", values.Select(v => "\"" + v + "\"")) + "]";
}
