namespace Postern.Protocol.Sasl.Server;

public enum SaslStepKind
{
    Challenge,
    Success,
    Failure,
}
