using System.Globalization;

namespace Postern.Tests.Core.IO;

/// <summary>The test process's real uid, from /proc (the "Uid:" line: real, effective, saved, fs).</summary>
internal static class CurrentUser
{
    public static uint Id =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1], CultureInfo.InvariantCulture);
}
