using Postern.Protocol.Sasl.Server;

namespace Postern.Server.Auth;

/// <summary>A successful AUTH in a session: who, with which mechanism, and whether that mechanism is trusted for relaying.</summary>
internal sealed record SessionAuthentication(SaslIdentity Identity, string Mechanism, bool Trusted);
