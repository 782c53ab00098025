namespace Postern.Core.Policy;

/// <summary>What a listener is for: mail exchange from other MTAs, or submission by users.</summary>
public enum ListenerRole
{
    Mta,
    Msa,
}
