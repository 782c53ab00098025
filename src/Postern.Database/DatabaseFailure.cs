using System.Net.Sockets;
using Npgsql;

namespace Postern.Database;

/// <summary>
/// Turns a database error into the few words a log line or a CLI message carries: the server's own
/// message for an SQL error, "cannot connect" or "timed out" for the rest. Never the connection
/// string or a password (Npgsql's connection messages name the host and port only).
/// </summary>
public static class DatabaseFailure
{
    /// <summary>Whether <paramref name="e"/> is a failure of the database or the way to it (not a bug).</summary>
    public static bool IsDatabaseError(Exception e) =>
        e is NpgsqlException or TimeoutException or SocketException or IOException
        || (e is InvalidOperationException && e.Source == "Npgsql");

    public static string Describe(Exception e) => e switch
    {
        PostgresException postgres => $"{postgres.MessageText} ({postgres.SqlState})",
        NpgsqlException { InnerException: TimeoutException } or TimeoutException or OperationCanceledException => "timed out",
        NpgsqlException { InnerException: SocketException socket } => "cannot connect: " + socket.SocketErrorCode,
        NpgsqlException { InnerException: IOException } => "connection lost",
        NpgsqlException npgsql => npgsql.Message,
        _ => e.Message,
    };
}
