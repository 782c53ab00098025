namespace Postern.Protocol.Sasl.Server;

internal sealed class ExternalServerMechanismFactory : ISaslServerMechanismFactory
{
    public string Name => ExternalServerMechanism.MechanismName;

    public bool IsPlaintext => false;

    /// <summary>Only with a verified client certificate that maps to a user.</summary>
    public bool IsAvailable(SaslServerContext context) => context.IsTls && !string.IsNullOrEmpty(context.ExternalIdentity);

    public ISaslServerMechanism Create(SaslServerContext context) => new ExternalServerMechanism(context);
}
