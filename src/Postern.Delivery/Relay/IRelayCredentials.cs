namespace Postern.Delivery.Relay;

/// <summary>Credentials for AUTH when relaying, by relay host name.</summary>
public interface IRelayCredentials
{
    /// <summary>The credential for <paramref name="hostName"/>, or null to relay without AUTH.</summary>
    RelayCredential? Find(string hostName);
}
