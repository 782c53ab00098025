using System.Collections.Concurrent;

namespace Postern.Queue.Storage;

/// <summary>
/// The tmp/ files being written right now. The store adds each message it begins and removes it
/// once committed or aborted; start-up recovery deletes every other file in tmp/, never these.
/// </summary>
internal sealed class ActiveTempFiles
{
    private readonly ConcurrentDictionary<string, byte> _paths = new(StringComparer.Ordinal);

    public void Add(string path) => _paths[path] = 0;

    public void Remove(string path) => _paths.TryRemove(path, out _);

    public bool Contains(string path) => _paths.ContainsKey(path);
}
