using System.Globalization;
using System.Net;
using System.Text;
using Postern.Filters.Authentication.Spf;

namespace Postern.Tests.Filters.Authentication.Spf;

/// <summary>
/// The RFC 7208 test suite's check_host() cases (rfc7208.cases beside this file), each against
/// its section's zone in memory: one test per case, named after it.
/// </summary>
public sealed class SpfSuiteTests
{
    private static readonly Lazy<Dictionary<string, (InMemoryDns Zone, string[] Case)>> Cases = new(Load);

    public static TheoryData<string> CaseNames => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Check_host_gives_the_suite_result(string name)
    {
        var (zone, fields) = Cases.Value[name];
        var checker = new SpfChecker(zone, TimeProvider.System, TimeSpan.FromSeconds(20));
        var mailFrom = fields[3];
        var outcome = await checker.CheckAsync(IPAddress.Parse(fields[2]), mailFrom, fields[4], CancellationToken.None);
        var accepted = fields[5].Split('|');
        Assert.True(
            accepted.Contains(outcome.ResultName),
            $"{name}: expected {fields[5]}, got {outcome.ResultName} ({outcome.Reason})");
    }

    private static Dictionary<string, (InMemoryDns, string[])> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Filters", "Authentication", "Spf", "rfc7208.cases");
        var cases = new Dictionary<string, (InMemoryDns, string[])>(StringComparer.Ordinal);
        var zone = new InMemoryDns();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var fields = line.Split('\t').Select(Unescape).ToArray();
            switch (fields[0])
            {
                case "section":
                    zone = new InMemoryDns();
                    break;
                case "dns":
                    zone.AddLine(fields[1..]);
                    break;
                case "case":
                    cases.Add(fields[1], (zone, fields));
                    break;
                default:
                    throw new FormatException("rfc7208.cases: unknown line " + line);
            }
        }
        return cases;
    }

    // \\, \xHH (one character of that code) and \uHHHH.
    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var kind = text[++i];
            var digits = kind switch { 'x' => 2, 'u' => 4, _ => 0 };
            if (digits == 0)
            {
                result.Append(kind);
                continue;
            }
            result.Append((char)int.Parse(text.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += digits;
        }
        return result.ToString();
    }
}
