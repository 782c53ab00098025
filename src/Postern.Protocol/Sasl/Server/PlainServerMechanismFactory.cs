namespace Postern.Protocol.Sasl.Server;

internal sealed class PlainServerMechanismFactory(SaslServerSettings settings) : ISaslServerMechanismFactory
{
    public string Name => PlainServerMechanism.MechanismName;

    public bool IsPlaintext => true;

    public bool IsAvailable(SaslServerContext context) => true;

    public ISaslServerMechanism Create(SaslServerContext context) => new PlainServerMechanism(context, settings);
}
