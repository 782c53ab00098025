using Postern.Config;

namespace Postern.Tests.Config;

public sealed class TlsConfigurationErrorTests
{
    private const string ListenerHead = "[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\n";

    // OneListener takes lines 1-5; "[tls]" is line 6, so the first key is line 7.
    private static ConfigError SingleTlsError(string lines, ConfigurationInputs? inputs = null)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[tls]\n" + lines + "\n", inputs ?? ConfigTestInputs.AllPathsExist());
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    private static ConfigError SingleListenerError(string lines)
    {
        var result = ConfigTestInputs.Load(ListenerHead + lines + "\n");
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("tls = \"ssl\"", "listener[1].tls", "must be one of \"none\", \"starttls\", \"implicit\", got \"ssl\"")]
    [InlineData("tls = true", "listener[1].tls", "must be one of \"none\", \"starttls\", \"implicit\", got true")]
    [InlineData("client_cert = \"optional\"\ntls = \"starttls\"", "listener[1].client_cert", "must be one of \"none\", \"ask\", \"require\", got \"optional\"")]
    [InlineData("require_tls = \"yes\"\ntls = \"starttls\"", "listener[1].require_tls", "must be true or false, got \"yes\"")]
    public void Bad_listener_tls_values_name_key_and_line(string lines, string key, string message)
    {
        var error = SingleListenerError(lines);

        Assert.Equal((key, 5, 1), (error.Key, error.Line, error.Column));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("require_tls = true")]
    [InlineData("tls = \"none\"\nrequire_tls = true")]
    public void Require_tls_without_tls_is_an_error(string lines)
    {
        var error = SingleListenerError(lines);

        Assert.Equal("listener[1].require_tls", error.Key);
        Assert.Equal(lines.Split('\n').Length + 4, error.Line);
        Assert.Contains("tls is \"none\": nothing could satisfy it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_cert = \"ask\"", "\"ask\"")]
    [InlineData("tls = \"none\"\nclient_cert = \"require\"", "\"require\"")]
    public void Client_cert_without_tls_is_an_error(string lines, string mode)
    {
        var error = SingleListenerError(lines);

        Assert.Equal(("listener[1].client_cert", lines.Split('\n').Length + 4), (error.Key, error.Line));
        Assert.StartsWith($"is {mode} but tls is \"none\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_cert_require_without_client_cas_is_an_error()
    {
        var error = SingleListenerError("tls = \"starttls\"\nclient_cert = \"require\"");

        Assert.Equal(("listener[1].client_cert", 6), (error.Key, error.Line));
        Assert.StartsWith("is \"require\" but neither tls.ca_file nor tls.ca_path is set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca_file = \"/etc/postern/ca.pem\"")]
    [InlineData("ca_path = \"/etc/postern/certs\"")]
    public void Client_cert_require_accepts_either_ca_key(string caLine)
    {
        var result = ConfigTestInputs.Load(
            $"[tls]\n{caLine}\n" + ListenerHead + "tls = \"implicit\"\nclient_cert = \"require\"\n",
            ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void A_missing_ca_file_is_reported_once_at_its_own_key()
    {
        var result = ConfigTestInputs.Load(
            "[tls]\nca_file = \"ca.pem\"\n" + ListenerHead + "tls = \"starttls\"\nclient_cert = \"require\"\n",
            ConfigTestInputs.Create("/nowhere"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("tls.ca_file", 2), (error.Key, error.Line));
    }

    [Fact]
    public void A_bad_tls_value_does_not_also_report_its_dependants()
    {
        var error = SingleListenerError("tls = \"tls\"\nrequire_tls = true\nclient_cert = \"require\"");

        Assert.Equal("listener[1].tls", error.Key);
    }

    [Theory]
    [InlineData("server_cert = \"missing.pem\"", "tls.server_cert", "no such file: /nowhere/missing.pem")]
    [InlineData("server_cert = \"/nowhere/a.pem\"", "tls.server_cert", "no such file: /nowhere/a.pem")]
    [InlineData("ca_file = \"ca.pem\"", "tls.ca_file", "no such file: /nowhere/ca.pem")]
    [InlineData("ca_path = \"certs\"", "tls.ca_path", "no such directory: /nowhere/certs")]
    [InlineData("crl_file = \"ca.crl\"", "tls.crl_file", "no such file: /nowhere/ca.crl")]
    [InlineData("crl_path = \"crls\"", "tls.crl_path", "no such directory: /nowhere/crls")]
    [InlineData("client_cert = \"client.pem\"", "tls.client_cert", "no such file: /nowhere/client.pem")]
    public void Missing_files_are_errors_naming_key_line_and_path(string line, string key, string message)
    {
        // Against the real file system: /nowhere does not exist.
        var error = SingleTlsError(line, ConfigTestInputs.Create("/nowhere"));

        Assert.Equal((key, 7, 1), (error.Key, error.Line, error.Column));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_directory_is_not_a_file_and_a_file_is_not_a_directory()
    {
        var dir = Directory.CreateTempSubdirectory("postern-tls-config-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "ca.pem"), "");
            var result = ConfigTestInputs.Load(
                ConfigTestInputs.OneListener + $"[tls]\nca_file = \"{dir.FullName}\"\nca_path = \"ca.pem\"\n",
                ConfigTestInputs.Create(dir.FullName));

            Assert.Equal(
                [("tls.ca_file", 7, "no such file: " + dir.FullName), ("tls.ca_path", 8, "no such directory: " + Path.Combine(dir.FullName, "ca.pem"))],
                result.Errors.Select(e => (e.Key, e.Line, e.Message)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_certificate_entry_file_names_the_entry()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + "[[tls.certificate]]\ncert = \"a.pem\"\n\n[[tls.certificate]]\ncert = \"b.pem\"\nkey = \"b.key\"\n",
            ConfigTestInputs.Create("/nowhere") with { FileExists = path => path != "/nowhere/b.key" });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("tls.certificate[2].key", 11), (error.Key, error.Line));
        Assert.Equal("no such file: /nowhere/b.key", error.Message);
    }

    [Theory]
    [InlineData("server_key = \"server.key\"", "tls.server_key", "is set without server_cert")]
    [InlineData("client_key = \"client.key\"", "tls.client_key", "is set without client_cert")]
    public void Key_without_its_certificate_is_an_error(string line, string key, string message)
    {
        var error = SingleTlsError(line);

        Assert.Equal((key, 7), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_entry_needs_cert()
    {
        var error = SingleTlsError("[[tls.certificate]]\nkey = \"a.key\"");

        Assert.Equal(("tls.certificate[1].cert", 8), (error.Key, error.Line));
        Assert.StartsWith("is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_key_after_a_certificate_entry_is_explained()
    {
        var error = SingleTlsError("[[tls.certificate]]\ncert = \"a.pem\"\nca_file = \"ca.pem\"");

        Assert.Equal(("tls.certificate[1].ca_file", 9), (error.Key, error.Line));
        Assert.Contains("belongs to [tls]", error.Message, StringComparison.Ordinal);
        Assert.Contains("move it above the first [[tls.certificate]]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TLS_RSA_WITH_AES_128_GCM_SHA256", "key exchange RSA is not ECDHE or DHE: no forward secrecy")]
    [InlineData("TLS_PSK_WITH_AES_128_GCM_SHA256", "key exchange PSK is not ECDHE or DHE")]
    [InlineData("TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "key exchange ECDH_ECDSA is not ECDHE or DHE")]
    [InlineData("TLS_DH_RSA_WITH_AES_128_GCM_SHA256", "key exchange DH_RSA is not ECDHE or DHE")]
    [InlineData("TLS_ECDHE_RSA_WITH_NULL_SHA", "NULL: no encryption")]
    [InlineData("TLS_NULL_WITH_NULL_NULL", "NULL: no encryption")]
    [InlineData("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXPORT: deliberately weakened keys; RC4: broken stream cipher; key exchange RSA_EXPORT")]
    [InlineData("TLS_ECDHE_RSA_WITH_RC4_128_SHA", "RC4")]
    [InlineData("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "DES/3DES")]
    [InlineData("TLS_DHE_RSA_WITH_DES_CBC_SHA", "DES/3DES")]
    [InlineData("TLS_DH_anon_WITH_AES_128_GCM_SHA256", "anon: the server is not authenticated")]
    [InlineData("TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "anon")]
    public void Weak_cipher_is_an_error_saying_why(string name, string reason)
    {
        var error = SingleTlsError($"ciphers = [\"TLS_AES_128_GCM_SHA256\", \"{name}\"]");

        Assert.Equal(("tls.ciphers", 7), (error.Key, error.Line));
        Assert.StartsWith($"\"{name}\" is weak: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256")]
    [InlineData("TLS_DHE_PSK_WITH_AES_256_GCM_SHA384")]
    [InlineData("TLS_PSK_DHE_WITH_AES_128_CCM_8")]
    [InlineData("TLS_DHE_DSS_WITH_AES_256_GCM_SHA384")]
    [InlineData("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData("TLS_AES_128_CCM_8_SHA256")]
    public void Forward_secret_ciphers_are_accepted(string name)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + $"[tls]\nciphers = [\"{name}\"]\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(name, Assert.Single(result.Configuration.Tls.CipherSuites!).ToString());
    }

    [Theory]
    [InlineData("TLS_AES_256_GCM_SHA385", "unknown cipher suite \"TLS_AES_256_GCM_SHA385\" (did you mean \"TLS_AES_256_GCM_SHA384\"?)")]
    [InlineData("tls_aes_256_gcm_sha384", "unknown cipher suite \"tls_aes_256_gcm_sha384\" (did you mean \"TLS_AES_256_GCM_SHA384\"?)")]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384", "unknown cipher suite \"ECDHE-RSA-AES256-GCM-SHA384\": use IANA names")]
    [InlineData("HIGH", "unknown cipher suite \"HIGH\": use IANA names")]
    [InlineData("4866", "unknown cipher suite \"4866\"")]
    public void Unknown_cipher_name_is_an_error(string name, string message)
    {
        var error = SingleTlsError($"ciphers = [\"{name}\"]");

        Assert.Equal(("tls.ciphers", 7), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ciphers = []", "must list at least one cipher suite")]
    [InlineData("ciphers = \"TLS_AES_256_GCM_SHA384\"", "must be an array of strings")]
    [InlineData("ciphers = [\"TLS_AES_256_GCM_SHA384\", \"TLS_AES_256_GCM_SHA384\"]", "lists \"TLS_AES_256_GCM_SHA384\" twice")]
    [InlineData("min_version = \"1.3\"\nciphers = [\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"]", "lists no TLS 1.3 suite")]
    public void Bad_cipher_lists_are_errors(string lines, string message)
    {
        var error = SingleTlsError(lines);

        Assert.Equal(("tls.ciphers", lines.Split('\n').Length + 6), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1.1\"", "TLS 1.0 and 1.1 are never enabled; must be \"1.2\" or \"1.3\", got \"1.1\"")]
    [InlineData("\"1.0\"", "TLS 1.0 and 1.1 are never enabled; must be \"1.2\" or \"1.3\", got \"1.0\"")]
    [InlineData("1.1", "TLS 1.0 and 1.1 are never enabled; must be \"1.2\" or \"1.3\", got 1.1")]
    [InlineData("1.2", "must be \"1.2\" or \"1.3\" as a quoted string, got 1.2")]
    [InlineData("\"SSLv3\"", "must be \"1.2\" or \"1.3\", got \"SSLv3\"")]
    [InlineData("\"TLSv1.2\"", "must be \"1.2\" or \"1.3\", got \"TLSv1.2\"")]
    public void Min_version_is_1_2_or_1_3(string value, string message)
    {
        var error = SingleTlsError("min_version = " + value);

        Assert.Equal(("tls.min_version", 7), (error.Key, error.Line));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"0s\"")]
    [InlineData("\"2h\"")]
    [InlineData("\"30S\"")]
    public void Bad_handshake_timeout_is_an_error(string value)
    {
        var error = SingleTlsError("handshake_timeout = " + value);

        Assert.Equal(("tls.handshake_timeout", 7), (error.Key, error.Line));
        Assert.StartsWith("must be a duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 1s to 1h", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_tls_key_lists_the_allowed_ones()
    {
        var error = SingleTlsError("server_crt = \"a.pem\"");

        Assert.Equal(("tls.server_crt", 7), (error.Key, error.Line));
        Assert.Contains("did you mean \"server_cert\"?", error.Message, StringComparison.Ordinal);
        Assert.Contains("ca_file, ca_path, certificate, ciphers, client_cert, client_key, crl_file, crl_path, handshake_timeout, min_version, server_cert, server_key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_as_a_plain_table_is_a_type_error()
    {
        var error = SingleTlsError("certificate = { cert = \"a.pem\" }");

        Assert.Equal(("tls.certificate", 7), (error.Key, error.Line));
        Assert.StartsWith("must be an array of tables ([[tls.certificate]])", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/data/key.pem", "tls.server_key", 8)]
    [InlineData("/srv/data/cert.pem", "tls.server_cert", 7)]
    [InlineData("/srv/data/cas/one.pem", "tls.ca_path", 9)]
    public void A_tls_file_found_unusable_at_start_is_reported_at_the_key_and_line_that_named_it(string file, string key, int line)
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + "[tls]\nserver_cert = \"cert.pem\"\nserver_key = \"key.pem\"\nca_path = \"cas\"\n",
            ConfigTestInputs.AllPathsExist("/srv/data"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var error = Postern.Pki.Tls.TlsConfigurationException.About(file, "no private key found");

        Assert.Equal($"postern.toml:{line}:1: {key}: {file}: no private key found", TlsErrorReport.Describe(result.Configuration, error));
    }

    [Fact]
    public void A_tls_error_about_no_configured_file_says_tls()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener, ConfigTestInputs.AllPathsExist("/srv/data"));

        Assert.Equal(
            "TLS: /srv/data/tls: cannot create the self-signed certificate: denied",
            TlsErrorReport.Describe(result.Configuration!, Postern.Pki.Tls.TlsConfigurationException.About("/srv/data/tls", "cannot create the self-signed certificate: denied")));
    }
}
