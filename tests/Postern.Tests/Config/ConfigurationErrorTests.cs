using Postern.Config;

namespace Postern.Tests.Config;

public sealed class ConfigurationErrorTests
{
    // OneListener takes lines 1-5, so the first appended line is line 6.
    private static ConfigError SingleError(string appended)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + appended);
        Assert.False(result.Succeeded);
        Assert.Null(result.Configuration);
        return Assert.Single(result.Errors);
    }

    // Found by fuzzing (fuzz/corpus/toml): Tomlyn's syntax parser threw instead of reporting, so
    // `config check` and `serve` printed a stack trace.
    [Fact]
    public void A_file_ending_inside_an_escape_is_an_error_with_its_place()
    {
        var error = SingleError("[server]\nhostname = \"mx\\");

        Assert.Equal("postern.toml:7:16: invalid TOML: the file ends inside an escape sequence", error.ToString());
    }

    [Fact]
    public void Nesting_past_the_parser_limit_is_an_error()
    {
        var error = SingleError("x = " + new string('[', 70) + new string(']', 70) + "\n");

        Assert.Equal("postern.toml: invalid TOML: The maximum depth of 64 has been exceeded", error.ToString());
    }

    [Fact]
    public void Wrong_type_names_key_line_and_what_is_allowed()
    {
        var error = SingleError("[limits]\nmax_recipients = \"many\"\n");

        Assert.Equal("postern.toml:7:1: limits.max_recipients: must be an integer from 1 to 10000, got \"many\"", error.ToString());
        Assert.Equal(("postern.toml", 7, 1, "limits.max_recipients"), (error.File, error.Line, error.Column, error.Key));
    }

    [Theory]
    [InlineData("max_recipients = 0", "limits.max_recipients", "from 1 to 10000, got 0")]
    [InlineData("max_recipients = 10001", "limits.max_recipients", "from 1 to 10000, got 10001")]
    [InlineData("max_errors = -1", "limits.max_errors", "from 1 to 1000, got -1")]
    [InlineData("recipient_overshoot_limit = -1", "limits.recipient_overshoot_limit", "from 0 to 100000, got -1")]
    [InlineData("bare_newline = \"no\"", "limits.bare_newline", "must be one of \"normalize\", \"reject\", got \"no\"")]
    [InlineData("bare_newline_exclusions = [\"10.0.0.1/8\"]", "limits.bare_newline_exclusions", "has host bits set")]
    [InlineData("max_message_size = \"3G\"", "limits.max_message_size", "from 1K to 2G, got \"3G\"")]
    [InlineData("max_message_size = 100", "limits.max_message_size", "from 1K to 2G, got 100")]
    [InlineData("max_connections = 10\nmax_connections_per_ip = 20", "limits.max_connections_per_ip", "must not exceed max_connections (10)")]
    public void Out_of_range_values_are_errors(string line, string key, string expected)
    {
        var error = SingleError("[limits]\n" + line + "\n");

        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 7);
    }

    [Theory]
    [InlineData("\"25MB\"")]
    [InlineData("\"-5M\"")]
    [InlineData("\"M\"")]
    [InlineData("\"1.5M\"")]
    [InlineData("2.5")]
    public void Bad_size_is_an_error(string value)
    {
        var error = SingleError($"[limits]\nmax_message_size = {value}\n");

        Assert.Equal(("limits.max_message_size", 7), (error.Key, error.Line));
        Assert.StartsWith("must be a size in bytes or with a K, M or G suffix", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"5 m\"")]
    [InlineData("\"5min\"")]
    [InlineData("\"m\"")]
    [InlineData("\"-5m\"")]
    [InlineData("\"5M\"")]
    [InlineData("true")]
    [InlineData("\"0s\"")]
    [InlineData("\"2d\"")]
    public void Bad_duration_is_an_error(string value)
    {
        var error = SingleError($"[limits]\ncommand_timeout = {value}\n");

        Assert.Equal(("limits.command_timeout", 7), (error.Key, error.Line));
        Assert.Contains("must be a duration (\"30s\", \"5m\", \"1h\", \"2d\" or an integer of seconds) from 1s to 1d", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:25")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.1:25")]
    [InlineData("256.0.0.1:25")]
    [InlineData("::1:25")]
    [InlineData("[127.0.0.1]:25")]
    [InlineData("[::1]:")]
    [InlineData("*:smtp")]
    public void Bad_address_is_an_error(string address)
    {
        var error = SingleError($"[[listener]]\nname = \"x\"\naddress = \"{address}\"\nrole = \"msa\"\n");

        Assert.Equal(("listener[2].address", 8, 1), (error.Key, error.Line, error.Column));
        Assert.Contains("IPv4:port, [IPv6]:port, *:port or [::]:port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_names_it_and_suggests_the_known_one()
    {
        var error = SingleError("[limits]\nmax_recipents = 5\n");

        Assert.Equal(("limits.max_recipents", 7), (error.Key, error.Line));
        Assert.Contains("unknown key (did you mean \"max_recipients\"?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed here:", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_message_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_table_is_an_error()
    {
        var error = SingleError("\n[smarthost]\nhost = \"x\"\n");

        Assert.Equal(("smarthost", 7), (error.Key, error.Line));
        Assert.StartsWith("unknown table; allowed here: acme, auth, authentication_results, database, delivery, dkim, limits, listener, local, log, metrics, milter, mta_sts, policy, queue, route, server, tls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_inside_a_listener_is_an_error()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\nstarttls = true\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener[1].starttls", 5), (error.Key, error.Line));
        Assert.Contains("client_cert, etrn, milters, name, proxy_protocol, proxy_timeout, proxy_trusted, require_tls, role, tls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_role_and_name_list_what_is_allowed()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a b\"\naddress = \"127.0.0.1:25\"\nrole = \"smtp\"\n");

        Assert.Collection(
            result.Errors,
            e =>
            {
                Assert.Equal(("listener[1].name", 2), (e.Key, e.Line));
                Assert.Contains("1 to 32 characters from A-Z a-z 0-9 _ -", e.Message, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.Equal(("listener[1].role", 4), (e.Key, e.Line));
                Assert.Equal("must be one of \"mta\", \"msa\", got \"smtp\"", e.Message);
            });
    }

    [Fact]
    public void Missing_listener_keys_are_required()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a\"\n");

        Assert.Equal(["listener[1].address", "listener[1].role"], result.Errors.Select(e => e.Key));
        Assert.All(result.Errors, e => Assert.Equal(2, e.Line));
        Assert.All(result.Errors, e => Assert.StartsWith("is required", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void No_listener_is_an_error()
    {
        var result = ConfigTestInputs.Load("[server]\nhostname = \"a.example\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("listener", error.Key);
        Assert.Contains("at least one [[listener]]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listener_as_a_plain_table_is_a_type_error()
    {
        var result = ConfigTestInputs.Load("[listener]\nname = \"a\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener", 1), (error.Key, error.Line));
        Assert.Equal("must be an array of tables ([[listener]]), got a table", error.Message);
    }

    [Fact]
    public void Duplicate_listener_name_points_at_the_second_one()
    {
        var error = SingleError("[[listener]]\nname = \"MTA\"\naddress = \"127.0.0.1:26\"\nrole = \"mta\"\n");

        Assert.Equal(("listener[2].name", 7), (error.Key, error.Line));
        Assert.Contains("duplicate listener name \"MTA\" (first used on line 2)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:25")]
    [InlineData("*:25")]
    public void Duplicate_or_overlapping_endpoint_is_an_error(string address)
    {
        var error = SingleError($"[[listener]]\nname = \"other\"\naddress = \"{address}\"\nrole = \"msa\"\n");

        Assert.Equal(("listener[2].address", 8), (error.Key, error.Line));
        Assert.Contains("duplicate endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("listener \"mta\" (line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_port_on_another_address_or_family_is_allowed()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener
            + "[[listener]]\nname = \"b\"\naddress = \"127.0.0.2:25\"\nrole = \"mta\"\n"
            + "[[listener]]\nname = \"c\"\naddress = \"[::]:25\"\nrole = \"mta\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Syntax_error_reports_file_and_line()
    {
        var result = ConfigTestInputs.Load("[server]\nhostname = \"a.example\nx = 1\n");

        Assert.False(result.Succeeded);
        var error = result.Errors[0];
        Assert.Equal(("postern.toml", 2, ""), (error.File, error.Line, error.Key));
        Assert.StartsWith("invalid TOML: ", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("postern.toml:2:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redefined_table_is_a_syntax_error()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[limits]\nmax_errors = 1\n[limits]\nmax_errors = 2\n");

        Assert.False(result.Succeeded);
        Assert.Equal(8, result.Errors[0].Line);
        Assert.Contains("already defined", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.All(result.Errors, e => Assert.StartsWith("invalid TOML: ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_is_reported_together_in_file_order()
    {
        const string Text = """
            [server]
            hostname = "bad_name"
            colour = "blue"

            [[listener]]
            name = "mta"
            address = "nowhere"
            role = "mta"

            [limits]
            max_recipients = "many"
            command_timeout = "soon"

            [local]
            domains = []
            users = ["ok", "../etc"]

            [queue]
            delivery_concurrency = 4
            retry_schedule = ["1m", "soon"]

            [log]
            level = "verbose"
            """;

        var result = ConfigTestInputs.Load(Text);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                (2, "server.hostname"),
                (3, "server.colour"),
                (7, "listener[1].address"),
                (11, "limits.max_recipients"),
                (12, "limits.command_timeout"),
                (15, "local.domains"),
                (16, "local.users"),
                (20, "queue.retry_schedule"),
                (23, "log.level"),
            ],
            result.Errors.Select(e => (e.Line, e.Key)));
        Assert.Equal("must be one of \"debug\", \"info\", \"warning\", \"error\", got \"verbose\"", result.Errors[^1].Message);
    }

    [Theory]
    [InlineData("retry_schedule = []", "must list 1 to 100 durations, got 0")]
    [InlineData("retry_schedule = [\"1m\", \"8d\"]", "item 2 must be a duration from 1s to 7d (like \"5m\"), got \"8d\"")]
    [InlineData("retry_schedule = \"1m\"", "must be an array of strings")]
    [InlineData("min_retry_interval = \"5m\"", "min_retry_interval")]
    public void A_bad_retry_schedule_is_reported_with_its_key(string line, string message)
    {
        var result = ConfigTestInputs.Load("[queue]\n" + line + "\n");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors, e => e.Key.StartsWith("queue.", StringComparison.Ordinal));
        Assert.Equal(2, error.Line);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("domains = [\"example.org\", \"EXAMPLE.org\"]", "local.domains", "twice")]
    [InlineData("domains = [\"exa mple.org\"]", "local.domains", "must be domain names")]
    [InlineData("domains = \"example.org\"", "local.domains", "must be an array of strings, got \"example.org\"")]
    [InlineData("users = [\"a/b\"]", "local.users", "must be user names")]
    [InlineData("users = [\".hidden\"]", "local.users", "must be user names")]
    [InlineData("users = [1]", "local.users", "must be an array of strings, got an array")]
    [InlineData("postmaster = \"\"", "local.postmaster", "must be a user name")]
    [InlineData("allow_pipe_aliases = \"yes\"", "local.allow_pipe_aliases", "must be true or false, got \"yes\"")]
    [InlineData("mailbox_root = \"\"", "local.mailbox_root", "must be a non-empty path")]
    public void Local_values_are_validated(string line, string key, string expected)
    {
        var error = SingleError("[local]\n" + line + "\n");

        Assert.Equal((key, 7), (error.Key, error.Line));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_of_the_wrong_type_is_an_error()
    {
        // Before any header: after [[listener]] the key would belong to the listener.
        var result = ConfigTestInputs.Load("limits = 5\n" + ConfigTestInputs.OneListener);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("limits", 1), (error.Key, error.Line));
        Assert.Equal("must be a table ([limits]), got 5", error.Message);
    }

    [Fact]
    public void Dotted_keys_and_inline_tables_are_read_like_tables()
    {
        var result = ConfigTestInputs.Load(
            "limits.max_errors = 4\nlistener = [ { name = \"a\", address = \"127.0.0.1:25\", role = \"mta\" } ]\nqueue = { delivery_concurrency = 2 }\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(4, result.Configuration.Server.MaxErrors);
        Assert.Equal(2, result.Configuration.Queue.DeliveryConcurrency);
        Assert.Equal("a", Assert.Single(result.Configuration.Server.Listeners).Name);
    }
}
