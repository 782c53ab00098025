namespace Postern.Core.Policy;

public enum PolicyVerdict
{
    Accept,
    Reject,
}
