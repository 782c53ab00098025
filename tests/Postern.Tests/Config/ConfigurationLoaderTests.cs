using System.Net;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Policy;

namespace Postern.Tests.Config;

public sealed class ConfigurationLoaderTests
{
    [Fact]
    public void Embedded_default_loads_with_loopback_listeners_and_local_user()
    {
        var result = ConfigurationLoader.LoadFromText(ConfigurationLoader.ReadEmbeddedDefault(), ConfigurationLoader.EmbeddedDefaultSource, ConfigTestInputs.Create());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var config = result.Configuration;
        Assert.Equal("(embedded default)", config.Source);
        Assert.Equal("localhost", config.Server.HostName);
        Assert.Collection(
            config.Server.Listeners,
            l =>
            {
                Assert.Equal("mta", l.Name);
                Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2525), l.EndPoint);
                Assert.Equal(ListenerRole.Mta, l.Role);
            },
            l =>
            {
                Assert.Equal("msa", l.Name);
                Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2587), l.EndPoint);
                Assert.Equal(ListenerRole.Msa, l.Role);
            },
            l =>
            {
                Assert.Equal("smtps", l.Name);
                Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2465), l.EndPoint);
                Assert.Equal(ListenerRole.Msa, l.Role);
            });
        Assert.Equal(["localhost"], config.Local.Domains);
        Assert.Equal(["user"], config.Local.Users);
        Assert.Equal("/srv/work/postern-data", config.DataDirectory);
        Assert.Equal("/srv/work/postern-data/spool", config.Queue.SpoolDirectory);
        Assert.Equal("/srv/work/postern-data/mailboxes", config.Local.MailboxRoot);
        Assert.Null(config.Local.AliasesFile);
        Assert.Equal(25L * 1024 * 1024, config.Server.MaxMessageSize);
        Assert.Equal(LogLevel.Information, config.Log.Level);
        Assert.Null(config.Log.File);
    }

    [Fact]
    public void Load_without_a_path_uses_the_embedded_default()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "postern-config-" + Guid.NewGuid().ToString("N"));

        var result = ConfigurationLoader.Load(null, dataDir, _ => null);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(ConfigurationLoader.EmbeddedDefaultSource, result.Configuration.Source);
        Assert.Equal(dataDir, result.Configuration.DataDirectory);
        Assert.False(Directory.Exists(dataDir)); // loading creates nothing
    }

    [Fact]
    public void Full_example_maps_every_option()
    {
        const string Text = """
            [server]
            hostname = "mail.example.org"
            data_dir = "/var/lib/postern"

            [[listener]]
            name = "MX"
            address = "*:25"
            role = "mta"

            [[listener]]
            name = "submission"
            address = "[::1]:587"
            role = "msa"

            [[listener]]
            name = "v6-mx"
            address = "[::]:25"
            role = "mta"

            [limits]
            max_message_size = "10M"
            max_recipients = 50
            max_connections = 300
            max_connections_per_ip = 5
            max_errors = 3
            command_timeout = "10m"
            data_timeout = 120
            shutdown_grace = "1m"

            [local]
            domains = ["example.org", "Mail.Example.org"]
            users = ["alice", "bob.smith"]
            mailbox_root = "/home/mail"
            aliases = "aliases"
            allow_pipe_aliases = true
            allow_file_aliases = true
            postmaster = "alice"

            [queue]
            delivery_concurrency = 4
            retry_schedule = ["2m", "10m", "2h"]
            max_queue_lifetime = "3d"
            delay_warning = "6h"

            [log]
            file = "postern.log"
            level = "debug"
            """;

        var result = ConfigTestInputs.Load(Text);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var c = result.Configuration;
        Assert.Equal("postern.toml", c.Source);
        Assert.Equal("/var/lib/postern", c.DataDirectory);

        var s = c.Server;
        Assert.Equal("mail.example.org", s.HostName);
        Assert.Equal(3, s.Listeners.Count);
        Assert.Equal(("MX", new IPEndPoint(IPAddress.Any, 25), ListenerRole.Mta), (s.Listeners[0].Name, s.Listeners[0].EndPoint, s.Listeners[0].Role));
        Assert.Equal(("submission", new IPEndPoint(IPAddress.IPv6Loopback, 587), ListenerRole.Msa), (s.Listeners[1].Name, s.Listeners[1].EndPoint, s.Listeners[1].Role));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 25), s.Listeners[2].EndPoint);
        Assert.Equal(10L * 1024 * 1024, s.MaxMessageSize);
        Assert.Equal(50, s.MaxRecipients);
        Assert.Equal(300, s.MaxConnections);
        Assert.Equal(5, s.MaxConnectionsPerIp);
        Assert.Equal(3, s.MaxErrors);
        Assert.Equal(TimeSpan.FromMinutes(10), s.CommandTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), s.DataTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), s.ShutdownGrace);

        var l = c.Local;
        Assert.Equal(["example.org", "mail.example.org"], l.Domains);
        Assert.Equal(["alice", "bob.smith"], l.Users);
        Assert.Equal("/home/mail", l.MailboxRoot);
        Assert.Equal("/var/lib/postern/aliases", l.AliasesFile);
        Assert.True(l.AllowPipeAliases);
        Assert.True(l.AllowFileAliases);
        Assert.Equal("alice", l.PostmasterUser);

        var q = c.Queue;
        Assert.Equal("/var/lib/postern/spool", q.SpoolDirectory);
        Assert.Equal(4, q.DeliveryConcurrency);
        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(2)], q.RetrySchedule);
        Assert.Equal(TimeSpan.FromDays(3), q.MaxQueueLifetime);
        Assert.Equal(TimeSpan.FromHours(6), q.DelayWarning);

        Assert.Equal("/var/lib/postern/postern.log", c.Log.File);
        Assert.Equal(LogLevel.Debug, c.Log.Level);
    }

    [Fact]
    public void Omitted_sections_take_the_record_defaults_and_the_machine_host_name()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var c = result.Configuration;
        Assert.Equal(ConfigTestInputs.HostName, c.Server.HostName);
        Assert.Equal([ConfigTestInputs.HostName, "localhost"], c.Local.Domains);
        Assert.Empty(c.Local.Users);
        Assert.Equal("postmaster", c.Local.PostmasterUser);
        Assert.Equal(100, c.Server.MaxRecipients);
        Assert.Equal(TimeSpan.FromDays(5), c.Queue.MaxQueueLifetime);
        Assert.Equal(TimeSpan.FromHours(4), c.Queue.DelayWarning);
    }

    [Fact]
    public void A_zero_delay_warning_turns_warnings_off()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[queue]\ndelay_warning = \"0s\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(TimeSpan.Zero, result.Configuration.Queue.DelayWarning);
    }

    [Fact]
    public void Invalid_machine_host_name_without_server_hostname_is_an_error()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener, ConfigTestInputs.Create(hostName: "bad_host"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("server.hostname", error.Key);
        Assert.Contains("bad_host", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/cli", "/file", "/env", "/cli")]
    [InlineData(null, "/file", "/env", "/file")]
    [InlineData(null, null, "/env", "/env")]
    [InlineData(null, null, null, "/srv/work/postern-data")]
    [InlineData(null, null, "", "/srv/work/postern-data")]
    [InlineData("cli-rel", null, null, "/srv/work/cli-rel")]
    [InlineData(null, "file-rel", null, "/etc/postern/file-rel")]
    [InlineData(null, null, "env-rel", "/srv/work/env-rel")]
    public void Data_directory_precedence_is_flag_then_file_then_environment_then_default(
        string? flag, string? inFile, string? env, string expected)
    {
        var text = (inFile is null ? "" : $"[server]\nhostname = \"h\"\ndata_dir = \"{inFile}\"\n") + ConfigTestInputs.OneListener;
        var environment = new Dictionary<string, string?> { ["POSTERN_HOME"] = env };

        var result = ConfigTestInputs.Load(text, ConfigTestInputs.Create(flag, environment));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Configuration.DataDirectory);
        Assert.Equal(Path.Combine(expected, "spool"), result.Configuration.Queue.SpoolDirectory);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_data_directory_and_absolute_ones_stay()
    {
        var text = ConfigTestInputs.OneListener + """
            [local]
            domains = ["example.org"]
            mailbox_root = "boxes/../maildirs"
            aliases = "/etc/mail/aliases"

            [log]
            file = "logs/mail.log"
            """;

        var result = ConfigTestInputs.Load(text, ConfigTestInputs.Create("/data"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("/data/maildirs", result.Configuration.Local.MailboxRoot);
        Assert.Equal("/etc/mail/aliases", result.Configuration.Local.AliasesFile);
        Assert.Equal("/data/logs/mail.log", result.Configuration.Log.File);
    }

    [Fact]
    public void Load_reads_a_file_and_resolves_its_data_dir_against_the_file_directory()
    {
        var dir = Directory.CreateTempSubdirectory("postern-config-");
        try
        {
            var path = Path.Combine(dir.FullName, "postern.toml");
            File.WriteAllText(path, "[server]\nhostname = \"h.example\"\ndata_dir = \"state\"\n" + ConfigTestInputs.OneListener);

            var result = ConfigurationLoader.Load(path, null, _ => "/ignored");

            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Equal(path, result.Configuration.Source);
            Assert.Equal(Path.Combine(dir.FullName, "state"), result.Configuration.DataDirectory);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_file_is_an_error_naming_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "postern-missing-" + Guid.NewGuid().ToString("N"), "postern.toml");

        var result = ConfigurationLoader.Load(path, null, _ => null);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal($"{path}: configuration file not found", error.ToString());
    }

    [Fact]
    public void A_directory_given_as_the_file_is_an_error_not_an_exception()
    {
        var dir = Directory.CreateTempSubdirectory("postern-config-");
        try
        {
            var result = ConfigurationLoader.Load(dir.FullName, null, _ => null);

            var error = Assert.Single(result.Errors);
            Assert.Equal(dir.FullName, error.File);
        }
        finally
        {
            dir.Delete();
        }
    }
}
