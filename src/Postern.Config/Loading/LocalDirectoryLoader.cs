using Postern.Delivery.Aliases;
using Postern.Delivery.Local;

namespace Postern.Config.Loading;

/// <summary>Loads the local users and aliases, reporting aliases errors with file and line.</summary>
public static class LocalDirectoryLoader
{
    public static LocalRecipientDirectory? TryLoad(LocalDeliveryOptions options, TextWriter error)
    {
        try
        {
            return LocalRecipientDirectory.Load(options);
        }
        catch (AliasesParseException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine(problem.ToString());
            }
            return null;
        }
        catch (IOException e)
        {
            error.WriteLine($"{options.AliasesFile}: cannot read the aliases file: {e.Message}");
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"{options.AliasesFile}: cannot read the aliases file: {e.Message}");
            return null;
        }
    }
}
