namespace Postern.Protocol.Sasl.Server;

/// <summary>The server side of one SASL exchange (RFC 4422) for SMTP AUTH (RFC 4954). One instance per exchange.</summary>
public interface ISaslServerMechanism
{
    /// <summary>The IANA name: PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5, SCRAM-SHA-256-PLUS, EXTERNAL...</summary>
    string Name { get; }

    /// <summary>
    /// Feeds the next client response and says what to do next. The first call carries the initial
    /// response from the AUTH command: null when there was none, empty when the client sent <c>=</c>.
    /// Base64 and <c>*</c> (cancel) are handled by the session, not here.
    /// </summary>
    ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken);
}
