using Postern.Server.Options;

namespace Postern.Tests.Config;

public sealed class AuthConfigurationTests
{
    [Fact]
    public void Without_an_auth_section_the_defaults_apply()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var auth = result.Configuration.Server.Auth;
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN"], auth.Mechanisms);
        Assert.Equal(auth.Mechanisms, auth.TrustedMechanisms);
        Assert.True(auth.PlaintextRequiresTls);
        Assert.True(auth.AuthParamOnlyWhenAuthenticated);
        Assert.False(auth.AllowAnonymous);
        Assert.Equal(TimeSpan.FromSeconds(1), auth.FailureDelay);
        Assert.Equal(ListenerAuthMode.Offer, Assert.Single(result.Configuration.Server.Listeners).Auth);
    }

    [Fact]
    public void Every_key_binds()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener.Replace("role = \"mta\"", "role = \"mta\"\nauth = \"require\"", StringComparison.Ordinal) + """
            [auth]
            mechanisms = ["scram-sha-256", "PLAIN", "EXTERNAL"]
            trusted_mechanisms = ["SCRAM-SHA-256", "EXTERNAL"]
            plaintext_requires_tls = false
            allow_anonymous = false
            auth_param_only_when_authenticated = false
            failure_delay = "2s"
            max_failures = 5
            failure_window = "1h"
            block_duration = "30m"
            sender_login_map = "/etc/postern/sender_logins"
            """,
            ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var auth = result.Configuration.Server.Auth;
        Assert.Equal(["SCRAM-SHA-256", "PLAIN", "EXTERNAL"], auth.Mechanisms);
        Assert.Equal(["SCRAM-SHA-256", "EXTERNAL"], auth.TrustedMechanisms);
        Assert.False(auth.PlaintextRequiresTls);
        Assert.False(auth.AuthParamOnlyWhenAuthenticated);
        Assert.Equal((TimeSpan.FromSeconds(2), 5, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30)), (auth.FailureDelay, auth.MaxFailures, auth.FailureWindow, auth.BlockDuration));
        Assert.Equal("/etc/postern/sender_logins", auth.SenderLoginMapFile);
        Assert.Equal(ListenerAuthMode.Require, Assert.Single(result.Configuration.Server.Listeners).Auth);
    }

    [Theory]
    [InlineData("trusted_mechanisms = [\"PLAIN\", \"CRAM-MD5\"]", "auth.trusted_mechanisms", "\"CRAM-MD5\", which auth.mechanisms does not offer")]
    [InlineData("allow_anonymous = true", "auth.allow_anonymous", "ANONYMOUS is not supported")]
    [InlineData("mechanisms = [\"ANONYMOUS\"]", "auth.mechanisms", "ANONYMOUS is not supported")]
    [InlineData("mechanisms = [\"PLAIN\", \"GSSAPI\"]", "auth.mechanisms", "got \"GSSAPI\"")]
    [InlineData("mechanisms = [\"PLAIN\", \"plain\"]", "auth.mechanisms", "twice")]
    [InlineData("sender_login_map = \"/nowhere/logins\"", "auth.sender_login_map", "no such file")]
    [InlineData("max_failure = 3", "auth.max_failure", "")]
    public void Bad_auth_keys_are_errors_at_their_key(string line, string key, string message)
    {
        var offered = line.StartsWith("mechanisms", StringComparison.Ordinal) ? "" : "mechanisms = [\"PLAIN\", \"SCRAM-SHA-256\"]\n";
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[auth]\n" + offered + line + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_listener_auth_mode_is_an_error()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"msa\"\nauth = \"yes\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener[1].auth", 5), (error.Key, error.Line));
    }
}
