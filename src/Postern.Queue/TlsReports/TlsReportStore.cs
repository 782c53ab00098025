using System.Text.Json;
using Postern.Core.IO;

namespace Postern.Queue.TlsReports;

/// <summary>
/// The files under <c>&lt;data_dir&gt;/tls-reports/</c> (mode 0700): one
/// <c>period-START.json</c> per period with counts not yet reported. Each is replaced whole and
/// atomically (written to a temporary file, fsynced, renamed, the directory fsynced), so a crash
/// leaves either the previous or the new snapshot, never a torn one.
/// </summary>
public sealed class TlsReportStore(string directory)
{
    /// <summary>Far above what <see cref="TlsReportLimits"/> lets a period hold; a larger file is not read.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const string Prefix = "period-";
    private const string Suffix = ".json";

    public string Directory { get; } = directory;

    public void EnsureCreated() =>
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>Every readable period, oldest first; each unreadable file is passed to <paramref name="unreadable"/> with the reason.</summary>
    public List<PeriodCounts> ReadAll(Action<string, string> unreadable)
    {
        ArgumentNullException.ThrowIfNull(unreadable);
        var periods = new List<PeriodCounts>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return periods;
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Suffix).Order(StringComparer.Ordinal))
        {
            try
            {
                var length = new FileInfo(path).Length;
                if (length > MaxFileBytes)
                {
                    unreadable(path, $"larger than {MaxFileBytes} bytes");
                    continue;
                }
                using var stream = File.OpenRead(path);
                if (JsonSerializer.Deserialize(stream, TlsReportJsonContext.Default.PeriodCounts) is not { } period || period.End <= period.Start)
                {
                    unreadable(path, "not a report period");
                    continue;
                }
                periods.Add(period);
            }
            catch (JsonException e)
            {
                unreadable(path, e.Message);
            }
            catch (IOException e)
            {
                unreadable(path, e.Message);
            }
        }
        return periods;
    }

    /// <summary>Replaces the period's file with <paramref name="json"/>, durably.</summary>
    public void Write(DateTimeOffset start, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var path = Path.Combine(Directory, ReportPeriods.FileName(start));
        DurableFile.Replace(path, path + ".tmp", json);
    }

    public void Delete(DateTimeOffset start)
    {
        File.Delete(Path.Combine(Directory, ReportPeriods.FileName(start)));
        DirectorySync.Flush(Directory);
    }

    /// <summary>Moves an unreadable file out of the way (<c>.bad</c>) so it is kept for a look but not read again.</summary>
    public static void SetAside(string path) => File.Move(path, path + ".bad", overwrite: true);
}
