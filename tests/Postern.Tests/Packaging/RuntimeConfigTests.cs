using System.Text.Json;

namespace Postern.Tests.Packaging;

/// <summary>
/// The runtime settings Postern's executable is built with, from src/Postern/Postern.csproj: written
/// to the JIT build's postern.runtimeconfig.json (checked here) and compiled into the Native AOT
/// executable, so they hold for the daemon and every command however it is started.
/// </summary>
public sealed class RuntimeConfigTests
{
    private static readonly string RuntimeConfig = Path.Combine(AppContext.BaseDirectory, "postern.runtimeconfig.json");

    [Theory]
    // Idle thread-pool workers block instead of spinning for work (bench/RESULTS.md, "cpu", "The idle thread pool").
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    // No instrumented JIT tier (bench/RESULTS.md, change 9).
    [InlineData("System.Runtime.TieredPGO", "false")]
    public void The_executable_is_built_with(string property, string value)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RuntimeConfig));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(property, out var actual), $"{property} is not set in {RuntimeConfig}");
        Assert.Equal(value, actual.ToString().ToLowerInvariant());
    }
}
