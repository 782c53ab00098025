
namespace Postern.Config;

public static class ConfigurationErrors
{
    /// <summary>
    /// Prints every error, one a line (file:line:column: key: message), to stderr, then the count and
    /// what the command did not do because of them (<paramref name="consequence"/>; none for a check).
    /// </summary>
    public static int Report(ConfigurationResult result, TextWriter error, string? consequence = "not started")
    {
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }
        var count = $"postern: configuration has {result.Errors.Count} error(s)";
        error.WriteLine(consequence is null ? count : $"{count}; {consequence}");
        return ExitCodes.Config;
    }
}
