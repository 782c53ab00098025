namespace Postern.Config;

/// <summary>Where the SMTP AUTH users file is: one rule for <c>serve</c>, <c>config check</c> and <c>postern user</c>.</summary>
public static class UsersFilePath
{
    /// <summary>The file's name in the data directory when no path is configured.</summary>
    public const string DefaultFileName = "users";

    /// <summary>auth.users_file, else <c>users</c> in the configured data directory.</summary>
    public static string Of(PosternConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Resolve(configuration.Server.Auth.UsersFile, configuration.DataDirectory);
    }

    /// <summary>The given path (made absolute), else <c>users</c> in <paramref name="dataDirectory"/>.</summary>
    public static string Resolve(string? usersFile, string dataDirectory) =>
        string.IsNullOrEmpty(usersFile) ? Path.Combine(dataDirectory, DefaultFileName) : Path.GetFullPath(usersFile);
}
