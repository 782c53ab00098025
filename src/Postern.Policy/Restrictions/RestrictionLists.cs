namespace Postern.Policy.Restrictions;

/// <summary>
/// The ordered restriction names per stage (<c>policy.*_restrictions</c>). The defaults are safe:
/// the access map at connect, TLS requirements and sender entries at MAIL, and at RCPT the
/// recipient entries, local and relay domains, trusted clients, then reject_unauth_destination.
/// </summary>
public sealed record RestrictionLists
{
    public IReadOnlyList<string> Connect { get; init; } = ["check_client_access"];

    public IReadOnlyList<string> Helo { get; init; } = [];

    public IReadOnlyList<string> Sender { get; init; } = ["check_tls_requirements", "check_sender_access"];

    public IReadOnlyList<string> Recipient { get; init; } =
    [
        "check_recipient_access",
        "permit_local_domains",
        "permit_relay_domains",
        "permit_relay_networks",
        "permit_sasl_authenticated",
        "permit_tls_clientcerts",
        "reject_unauth_destination",
    ];

    public IReadOnlyList<string> Data { get; init; } = [];

    public IReadOnlyList<string> For(RestrictionStage stage) => stage switch
    {
        RestrictionStage.Connect => Connect,
        RestrictionStage.Helo => Helo,
        RestrictionStage.Mail => Sender,
        RestrictionStage.Rcpt => Recipient,
        RestrictionStage.Data => Data,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}
