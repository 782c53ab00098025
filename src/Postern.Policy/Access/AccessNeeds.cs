namespace Postern.Policy.Access;

/// <summary>
/// Which of the access map's lookups a decision can make: a table-backed map fetches the keys of
/// these lookups before the (synchronous) restrictions run, and no others.
/// </summary>
[Flags]
public enum AccessNeeds
{
    None = 0,

    /// <summary>check_client_access and permit_relay_networks (a <c>Connect:</c> RELAY line is a relay network): <c>Connect:</c> and untagged keys of the client address and its prefixes.</summary>
    Client = 1,

    /// <summary>check_tls_requirements: <c>TLS_Clt:</c> keys of the address, its prefixes and the empty key.</summary>
    TlsClient = 2,

    /// <summary>check_sender_access: <c>From:</c> and untagged keys of the sender.</summary>
    Sender = 4,

    /// <summary>check_recipient_access: <c>To:</c> and untagged keys of the recipient.</summary>
    Recipient = 8,

    /// <summary>permit_tls_clientcerts and EXTERNAL: the verified certificate's CERT* keys.</summary>
    Certificate = 16,

    /// <summary>The connection limits: <c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c> keys.</summary>
    ClientLimits = 32,
}

internal static class AccessNeedsOf
{
    /// <summary>The lookups a restriction makes, by its name.</summary>
    public static AccessNeeds Restriction(string name) => name switch
    {
        "check_client_access" or "permit_relay_networks" => AccessNeeds.Client,
        "check_tls_requirements" => AccessNeeds.TlsClient,
        "check_sender_access" => AccessNeeds.Sender,
        "check_recipient_access" => AccessNeeds.Recipient,
        "permit_tls_clientcerts" => AccessNeeds.Certificate,
        _ => AccessNeeds.None,
    };
}
