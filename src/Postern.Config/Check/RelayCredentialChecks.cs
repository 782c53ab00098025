using Postern.Delivery.Relay;

namespace Postern.Config.Check;

/// <summary>
/// What `postern config check` says about the relay credentials: delivery.auth_file,
/// delivery.sender_auth_file and each route's auth_password_file load as `serve` would load them
/// (private files, well-formed lines), so a mistake shows here rather than at start.
/// </summary>
internal static class RelayCredentialChecks
{
    /// <summary>False after printing the first problem (it names the file, and the line when there is one).</summary>
    public static bool Run(PosternConfiguration configuration, TextWriter errors)
    {
        var relay = configuration.Relay;
        try
        {
            if (relay.AuthFile is { } authFile)
            {
                AuthInfoFile.Load(authFile);
            }
            if (relay.SenderAuthFile is { } senderFile)
            {
                SenderAuthFile.Load(senderFile);
            }
            RelayIdentities.LoadRouteCredentials(relay.Routes);
            return true;
        }
        catch (AuthInfoFileException e)
        {
            errors.WriteLine(e.Message);
            return false;
        }
    }
}
