namespace Postern.Protocol.Sasl.Server;

/// <summary>Makes a fresh <see cref="ISaslServerMechanism"/> per exchange and says when the mechanism may be offered.</summary>
public interface ISaslServerMechanismFactory
{
    string Name { get; }

    /// <summary>True for PLAIN and LOGIN: the password crosses the wire (auth.plaintext_requires_tls).</summary>
    bool IsPlaintext { get; }

    /// <summary>Whether it can run in this session (TLS for -PLUS, a verified and mapped certificate for EXTERNAL).</summary>
    bool IsAvailable(SaslServerContext context);

    ISaslServerMechanism Create(SaslServerContext context);
}
