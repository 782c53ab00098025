using System.Text.RegularExpressions;
using Postern.Testing;

namespace Postern.Tests.Documentation;

/// <summary>SMTP AUTH and EXTERNAL exist: no page may still say they are missing or still to come.</summary>
public sealed partial class AuthClaimsTests
{
    [Fact]
    public void No_page_says_AUTH_or_EXTERNAL_is_not_implemented()
    {
        var pages = Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md").Append(Repository.PathOf("README.md"));
        var claims = new List<string>();
        foreach (var page in pages)
        {
            var lines = File.ReadAllLines(page);
            for (var i = 0; i < lines.Length; i++)
            {
                if (MissingAuthClaim().IsMatch(lines[i]))
                {
                    claims.Add($"{Path.GetFileName(page)}:{i + 1}: {lines[i]}");
                }
            }
        }

        Assert.True(claims.Count == 0, string.Join("\n", claims));
    }

    // The wordings the pages had before AUTH existed ("AUTH comes with the AUTH issue", "command not implemented").
    [GeneratedRegex(@"\bthe AUTH issue\b|\bAUTH comes\b|\b(AUTH|EXTERNAL|SASL)\b.*\b(not (yet )?implemented|not yet (supported|available|offered)|is planned|comes later|in a later version)", RegexOptions.IgnoreCase)]
    private static partial Regex MissingAuthClaim();
}
