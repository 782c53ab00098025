
namespace Postern.Config;

public static class ConfigurationErrors
{
    /// <summary>Prints every error, one a line (file:line:column: key: message), to stderr.</summary>
    public static int Report(ConfigurationResult result, TextWriter error, string consequence = "not started")
    {
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }
        error.WriteLine($"postern: configuration has {result.Errors.Count} error(s); {consequence}");
        return ExitCodes.Config;
    }
}
