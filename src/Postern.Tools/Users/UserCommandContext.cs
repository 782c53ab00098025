namespace Postern.Tools.Users;

/// <summary>What the <c>postern user</c> actions work on; tests substitute the password source and the iteration counts.</summary>
/// <param name="UsersFile">The users file (absolute).</param>
/// <param name="ReadPassword">Reads a new password, or returns null after writing why to the error writer.</param>
/// <param name="Output">Results (stdout).</param>
/// <param name="Error">Diagnostics and warnings (stderr).</param>
public sealed record UserCommandContext(string UsersFile, Func<TextWriter, string?> ReadPassword, TextWriter Output, TextWriter Error)
{
    /// <summary>Overrides every iteration count (PBKDF2 and SCRAM); tests only.</summary>
    public int? Iterations { get; init; }

    /// <summary>
    /// auth.mechanisms offers CRAM-MD5 or DIGEST-MD5, which need the password-equivalent secret:
    /// then `add` and `passwd` store it without being asked.
    /// </summary>
    public bool PasswordEquivalentMechanismsEnabled { get; init; }

    /// <summary>How long to wait for another <c>postern user</c> run to finish.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock the lock wait is measured on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The users table (<c>auth.users_file = "pgsql:NAME"</c>); when set, the users are there and <see cref="UsersFile"/> is unused.</summary>
    public Postern.Database.UserTable? Table { get; init; }

    /// <summary>Where the users are, as messages name it: the file, or <c>pgsql:NAME</c>.</summary>
    public string Source => Table?.Name ?? UsersFile;
}
