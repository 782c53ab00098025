namespace Postern.EndToEnd.Fixtures;

/// <summary>One server shared by the client tests that do not stop or reconfigure it.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public PosternProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PosternProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Server.DataDir, recursive: true);
    }
}
