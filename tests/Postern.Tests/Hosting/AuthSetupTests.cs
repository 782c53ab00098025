using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Auth;
using Postern.Hosting;
using Postern.Policy.Users;
using Postern.Tests.Delivery;

namespace Postern.Tests.Hosting;

public sealed class AuthSetupTests
{
    [Fact]
    public async Task Creates_the_secret_once_and_reads_users_from_the_data_directory()
    {
        using var directory = new TempDirectory();
        UserFile.Write(directory.Combine("users"), [new UserRecord("alice")]);
        var first = AuthSetup.TryCreate(directory.Path, null, NullLoggerFactory.Instance, TextWriter.Null)!.Value;
        var secret = File.ReadAllBytes(directory.Combine(AuthSetup.SecretFileName));
        var second = AuthSetup.TryCreate(directory.Path, null, NullLoggerFactory.Instance, TextWriter.Null)!.Value;
        Assert.Equal(secret, File.ReadAllBytes(directory.Combine(AuthSetup.SecretFileName)));
        Assert.NotNull(await first.Users.FindAsync("alice", CancellationToken.None));
        Assert.NotNull(second.Mechanisms.Find("SCRAM-SHA-256"));
    }
}
