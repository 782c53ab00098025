namespace Postern.Database;

/// <summary>
/// A schema or writer command could not do its work in the database: the message is one line for
/// the administrator (what, and the database's reason), never the connection string.
/// </summary>
public sealed class DatabaseCommandException : Exception
{
    public DatabaseCommandException()
    {
    }

    public DatabaseCommandException(string message)
        : base(message)
    {
    }

    public DatabaseCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Runs <paramref name="work"/>, turning a database failure into this exception naming <paramref name="what"/>.</summary>
    internal static T Wrap<T>(string what, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (DatabaseFailure.IsDatabaseError(e))
        {
            throw new DatabaseCommandException($"{what}: {DatabaseFailure.Describe(e)}", e);
        }
    }
}
