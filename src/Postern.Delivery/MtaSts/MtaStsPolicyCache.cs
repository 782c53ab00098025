using System.Text.Json;
using Postern.Core.IO;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// The policies on disk, one file per domain under <c>&lt;data_dir&gt;/mta-sts/</c>, so a restart
/// keeps them for their max_age (RFC 8461 5.1: a cached policy protects against a downgrade of
/// the TXT record or the policy host). A file is written whole under a temporary name, fsynced and
/// renamed over the old one, then the directory is fsynced: a crash leaves the old policy or the
/// new one, never half of either. Reads are bounded and parse the policy again, so a damaged or
/// hand-edited file counts as no cached policy.
/// </summary>
public sealed class MtaStsPolicyCache
{
    /// <summary>A cache file holds at most the 64 KiB policy, escaped, and a little JSON around it.</summary>
    private const int MaxFileBytes = 4 * HttpsPolicyFetcher.MaxPolicyBytes;

    /// <summary>The cache's directory under the data directory.</summary>
    public const string DirectoryName = "mta-sts";

    private const string Extension = ".json";

    public MtaStsPolicyCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The cache directory.</summary>
    public string Directory { get; }

    /// <summary>Creates the directory, mode 0700, when it is missing.</summary>
    public void EnsureDirectory() =>
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>
    /// The cached policy of <paramref name="domain"/> (a normalized name, see
    /// <see cref="MtaStsDomain"/>), expired or not; null when there is none or it is unreadable,
    /// with the reason in <paramref name="problem"/> for the latter.
    /// </summary>
    public MtaStsPolicy? Read(string domain, out string? problem)
    {
        problem = null;
        var path = PathOf(domain);
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            if (file.Length > MaxFileBytes)
            {
                problem = $"{path} is larger than {MaxFileBytes / 1024} KiB";
                return null;
            }
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No file, or no cache yet (the daemon creates the directory at start; `postern check` may run before).
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: {e.Message}";
            return null;
        }
        MtaStsCacheFile? entry;
        try
        {
            entry = JsonSerializer.Deserialize(bytes, MtaStsCacheJsonContext.Default.MtaStsCacheFile);
        }
        catch (JsonException)
        {
            entry = null;
        }
        if (entry is null || entry.Domain != domain || !MtaStsRecord.IsValidId(entry.Id))
        {
            problem = $"{path} is not a cached policy of {domain}";
            return null;
        }
        var policy = MtaStsPolicyParser.Parse(entry.Policy, entry.Id, entry.FetchedAt, out var invalid);
        if (policy is null)
        {
            problem = $"{path}: {invalid}";
        }
        return policy;
    }

    /// <summary>Stores <paramref name="policy"/> as the domain's cached policy, durably and atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Write(string domain, MtaStsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var entry = new MtaStsCacheFile(domain, policy.Id, policy.FetchedAt, string.Join("\n", policy.Lines) + "\n");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, MtaStsCacheJsonContext.Default.MtaStsCacheFile);
        var path = PathOf(domain);
        var temporary = Path.Combine(Directory, $".{domain}.{Guid.NewGuid():N}.tmp");
        try
        {
            DurableFile.Replace(path, temporary, bytes);
        }
        catch (UnauthorizedAccessException e)
        {
            File.Delete(temporary);
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
        catch (IOException)
        {
            File.Delete(temporary);
            throw;
        }
    }

    private string PathOf(string domain) => Path.Combine(Directory, domain + Extension);
}
