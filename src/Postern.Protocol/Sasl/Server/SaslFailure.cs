namespace Postern.Protocol.Sasl.Server;

/// <summary>Why an exchange failed; <paramref name="Detail"/> is for the mail log and never holds a secret.</summary>
public sealed record SaslFailure(SaslFailureReason Reason, string Detail);
