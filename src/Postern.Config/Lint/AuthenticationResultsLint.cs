using Postern.Core.Policy;
using Postern.Filters.Authentication;

namespace Postern.Config.Lint;

/// <summary><c>[authentication_results]</c> switched on where it can check nothing.</summary>
internal static class AuthenticationResultsLint
{
    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration)
    {
        var options = configuration.AuthenticationResults;
        if (options.Mode != AuthenticationResultsMode.Off && configuration.Server.Listeners.All(l => l.Role != ListenerRole.Mta))
        {
            yield return new("authentication results", "authentication_results.mode is set but no listener has role = \"mta\": only mail from other MTAs is checked");
        }
    }
}
