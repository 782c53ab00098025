namespace Postern.Protocol.Sasl.Server;

internal sealed class CramMd5ServerMechanismFactory(SaslServerSettings settings) : ISaslServerMechanismFactory
{
    public string Name => CramMd5ServerMechanism.MechanismName;

    public bool IsPlaintext => false;

    public bool IsAvailable(SaslServerContext context) => true;

    public ISaslServerMechanism Create(SaslServerContext context) => new CramMd5ServerMechanism(context, settings);
}
