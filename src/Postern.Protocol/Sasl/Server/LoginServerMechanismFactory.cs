namespace Postern.Protocol.Sasl.Server;

internal sealed class LoginServerMechanismFactory(SaslServerSettings settings) : ISaslServerMechanismFactory
{
    public string Name => LoginServerMechanism.MechanismName;

    public bool IsPlaintext => true;

    public bool IsAvailable(SaslServerContext context) => true;

    public ISaslServerMechanism Create(SaslServerContext context) => new LoginServerMechanism(context, settings);
}
