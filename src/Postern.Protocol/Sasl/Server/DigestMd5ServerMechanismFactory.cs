namespace Postern.Protocol.Sasl.Server;

internal sealed class DigestMd5ServerMechanismFactory : ISaslServerMechanismFactory
{
    public string Name => DigestMd5ServerMechanism.MechanismName;

    public bool IsPlaintext => false;

    public bool IsAvailable(SaslServerContext context) => true;

    public ISaslServerMechanism Create(SaslServerContext context) => new DigestMd5ServerMechanism(context);
}
