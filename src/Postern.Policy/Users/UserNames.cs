using Postern.Core.Auth;

namespace Postern.Policy.Users;

/// <summary>What a user name may be: 1 to 256 characters, SASLprep-stable, no white space, not starting with '#'.</summary>
public static class UserNames
{
    public const int MaxLength = 256;

    public static bool IsValid(string name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && name[0] != '#'
        && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && SaslPrep.Prepare(name) == name;
}
