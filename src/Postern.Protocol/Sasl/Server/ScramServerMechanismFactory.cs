namespace Postern.Protocol.Sasl.Server;

internal sealed class ScramServerMechanismFactory(ScramVariant variant, SaslServerSettings settings) : ISaslServerMechanismFactory
{
    public string Name => variant.Name;

    public bool IsPlaintext => false;

    /// <summary>-PLUS only inside TLS with channel-binding data to bind to.</summary>
    public bool IsAvailable(SaslServerContext context) =>
        !variant.Plus || context.IsTls && (context.TlsExporter is not null || context.TlsServerEndPoint is not null);

    public ISaslServerMechanism Create(SaslServerContext context) => new ScramServerMechanism(variant, context, settings);
}
