namespace Postern.Protocol.Sasl.Server;

/// <summary>Every server mechanism Postern implements, strongest first; names compare case-insensitively.</summary>
public sealed class SaslServerMechanisms
{
    /// <summary>CRAM-MD5 and DIGEST-MD5 need a password-equivalent secret stored for each user.</summary>
    public static readonly IReadOnlyList<string> PasswordEquivalentMechanisms = [CramMd5ServerMechanism.MechanismName, DigestMd5ServerMechanism.MechanismName];

    public SaslServerMechanisms(SaslServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Secret.Length < 16)
        {
            throw new ArgumentException("The server secret must be at least 16 bytes.", nameof(settings));
        }
        All =
        [
            new ScramServerMechanismFactory(ScramVariant.Sha256Plus, settings),
            new ScramServerMechanismFactory(ScramVariant.Sha1Plus, settings),
            new ScramServerMechanismFactory(ScramVariant.Sha256, settings),
            new ScramServerMechanismFactory(ScramVariant.Sha1, settings),
            new ExternalServerMechanismFactory(),
            new DigestMd5ServerMechanismFactory(),
            new CramMd5ServerMechanismFactory(settings),
            new PlainServerMechanismFactory(settings),
            new LoginServerMechanismFactory(settings),
        ];
    }

    public IReadOnlyList<ISaslServerMechanismFactory> All { get; }

    /// <summary>The names of <see cref="All"/>, for validating <c>auth.mechanisms</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        ScramVariant.Sha256Plus.Name, ScramVariant.Sha1Plus.Name, ScramVariant.Sha256.Name, ScramVariant.Sha1.Name,
        ExternalServerMechanism.MechanismName, DigestMd5ServerMechanism.MechanismName, CramMd5ServerMechanism.MechanismName,
        PlainServerMechanism.MechanismName, LoginServerMechanism.MechanismName,
    ];

    /// <summary>The mechanism called <paramref name="name"/> (any case), or null.</summary>
    public ISaslServerMechanismFactory? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static bool NeedsPasswordEquivalent(string name) =>
        PasswordEquivalentMechanisms.Contains(name, StringComparer.OrdinalIgnoreCase);
}
