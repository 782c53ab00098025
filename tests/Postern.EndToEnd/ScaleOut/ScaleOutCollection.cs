namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// The scale-out classes run one after another: each starts a whole cluster (PostgreSQL, Dovecot,
/// HAProxy, two nodes), and their one-second propagation bounds should not compete with each other
/// for the machine's cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection
{
    public const string Name = "scale-out";
}
