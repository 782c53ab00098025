using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

public sealed class CheckRunnerTests
{
    private static async Task<(int Code, string Error)> RunAsync(CheckArguments arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CheckRunner.RunAsync(arguments, (_, _) => "never used", TimeProvider.System, output, error, CancellationToken.None);
        Assert.Equal(string.Empty, output.ToString());
        return (code, error.ToString());
    }

    [Theory]
    [InlineData(null, "HOST:PORT is required")]
    [InlineData("mail.example.org:99999", "port must be a number")]
    public async Task A_bad_target_is_a_usage_error(string? target, string message)
    {
        var (code, error) = await RunAsync(new CheckArguments(target, []));

        Assert.Equal(64, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_modes_a_half_relay_attempt_a_bad_timeout_or_an_injected_address_are_usage_errors()
    {
        Assert.Equal(64, (await RunAsync(new CheckArguments("h:25", [CheckMode.StartTls, CheckMode.Implicit]))).Code);
        Assert.Equal(64, (await RunAsync(new CheckArguments("h:25", []) { From = "a@example.org" })).Code);
        Assert.Equal(64, (await RunAsync(new CheckArguments("h:25", []) { Timeout = "soon" })).Code);
        Assert.Equal(64, (await RunAsync(new CheckArguments("h:25", []) { KeyFile = "k.pem" })).Code);
        var (code, error) = await RunAsync(new CheckArguments("h:25", []) { From = "a@example.org>\r\nDATA", Recipient = "b@example.org" });
        Assert.Equal(64, code);
        Assert.Contains("control characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_client_certificate_file_is_reported_before_connecting()
    {
        var (code, error) = await RunAsync(new CheckArguments("127.0.0.1:9", []) { CertificateFile = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".pem") });

        Assert.Equal(66, code);
        Assert.Contains("cannot read the certificate file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Days_left_are_whole_days_and_negative_once_expired()
    {
        var now = CheckSamples.Now;

        Assert.Equal(29, ChainFacts.DaysLeft(now.AddDays(29.9), now));
        Assert.Equal(0, ChainFacts.DaysLeft(now.AddHours(1), now));
        Assert.Equal(-1, ChainFacts.DaysLeft(now.AddHours(-1), now));
    }
}
