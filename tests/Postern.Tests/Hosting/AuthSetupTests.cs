using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Auth;
using Postern.Hosting;
using Postern.Policy.Access;
using Postern.Policy.Users;
using Postern.Tests.Config;
using Postern.Tests.Delivery;

namespace Postern.Tests.Hosting;

public sealed class AuthSetupTests
{
    [Fact]
    public async Task Creates_the_secret_once_and_reads_users_from_the_data_directory()
    {
        using var directory = new TempDirectory();
        UserFile.Write(directory.Combine("users"), [new UserRecord("alice")]);
        var secret = AuthSetup.TryLoadSecret(directory.Path, TextWriter.Null)!;
        Assert.Equal(secret, AuthSetup.TryLoadSecret(directory.Path, TextWriter.Null));
        Assert.Equal(secret, File.ReadAllBytes(directory.Combine(AuthSetup.SecretFileName)));

        var configuration = Configuration(directory.Path, "");
        var backend = AuthSetup.CreateBackend(configuration, secret, AccessMaps(), MapSetup.Tables(configuration, Maps(configuration)), Maps(configuration), NullLoggerFactory.Instance);

        Assert.NotNull(await backend.Users.FindAsync("alice", CancellationToken.None));
        Assert.Contains(backend.Mechanisms, m => m.Name == "SCRAM-SHA-256");
        Assert.NotNull(backend.CertificateIdentities);
    }

    [Fact]
    public async Task Auth_users_file_names_the_store()
    {
        using var directory = new TempDirectory();
        UserFile.Write(directory.Combine("elsewhere"), [new UserRecord("bob")]);
        var configuration = Configuration(directory.Path, "[auth]\nusers_file = \"elsewhere\"\n");

        Assert.Equal(directory.Combine("elsewhere"), AuthSetup.UsersFile(configuration));
        var backend = AuthSetup.CreateBackend(configuration, new byte[32], AccessMaps(), MapSetup.Tables(configuration, Maps(configuration)), Maps(configuration), NullLoggerFactory.Instance);
        Assert.NotNull(await backend.Users.FindAsync("bob", CancellationToken.None));
    }

    [Fact]
    public async Task A_pgsql_users_file_names_the_users_table_of_the_database()
    {
        using var directory = new TempDirectory();
        var configuration = Configuration(directory.Path, "[auth]\nusers_file = \"pgsql:users\"\n[database]\nconnection = \"Host=127.0.0.1;Port=1;Username=postern\"\ntimeout = \"1s\"\n");
        await using var maps = Maps(configuration);

        var backend = AuthSetup.CreateBackend(configuration, new byte[32], AccessMaps(), MapSetup.Tables(configuration, maps), maps, NullLoggerFactory.Instance);

        Assert.Equal("users", configuration.Server.Auth.UsersTable);
        Assert.Null(configuration.Server.Auth.UsersFile);
        Assert.IsType<Postern.Database.PgsqlUserDirectory>(backend.Users);
        // Nothing listens on port 1: the store cannot answer, which is not "no such user".
        var e = await Assert.ThrowsAsync<Postern.Core.Maps.LookupTableUnavailableException>(async () => await backend.Users.FindAsync("alice", CancellationToken.None));
        Assert.Equal("pgsql:users", e.Table);
        Assert.DoesNotContain("Port=1", e.Message, StringComparison.Ordinal);
    }

    private static MapSources Maps(PosternConfiguration configuration) => new(configuration, TimeProvider.System, NullLoggerFactory.Instance);

    private static Reloadable<AccessMap> AccessMaps() => new(AccessMap.Empty, _ => AccessMap.Empty);

    private static PosternConfiguration Configuration(string dataDirectory, string text)
    {
        var result = ConfigurationLoader.LoadFromText(
            "[server]\ndata_dir = \"" + dataDirectory + "\"\n" + text
            + "\n[[listener]]\nname = \"mta\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\n", "postern.toml", ConfigTestInputs.Create());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }
}
