namespace Postern.Policy;

/// <summary>
/// For the synchronous callers of the policy (<c>postern access check</c>, <c>sendmail -bt</c>,
/// tests): with map files the task has already completed; with a table this waits for the lookup.
/// </summary>
internal static class Synchronously
{
    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
