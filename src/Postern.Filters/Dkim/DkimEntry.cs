namespace Postern.Filters.Dkim;

/// <summary>
/// One <c>[[dkim]]</c> entry: sign mail from <see cref="Domain"/> with the key in
/// <see cref="KeyFile"/>, published under <see cref="Selector"/>. Several entries for one domain
/// give several signatures (key rotation, ed25519 beside rsa).
/// </summary>
/// <param name="Domain">The d= domain, lower case; mail whose From: is in it is signed.</param>
/// <param name="Selector">The s= selector: the key is published at SELECTOR._domainkey.DOMAIN.</param>
/// <param name="KeyFile">The private key, PEM (PKCS#8, or PKCS#1 for RSA), absolute.</param>
public sealed record DkimEntry(string Domain, string Selector, string KeyFile)
{
    /// <summary>The header fields signed by default: those whose change would change what the reader sees or replies to.</summary>
    public static IReadOnlyList<string> DefaultHeaders { get; } =
    [
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To", "References", "Sender",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Language",
        "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Message-ID",
        "List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
    ];

    /// <summary>
    /// The fields signed once more than they occur (oversigned, RFC 6376 section 8.15), so that
    /// nobody can add one after signing: a second From: or Subject: breaks the signature.
    /// </summary>
    public static IReadOnlyList<string> DefaultOversignHeaders { get; } = ["From", "Reply-To", "Subject", "To", "Cc"];

    /// <summary>The algorithm the configuration asked for; null: whatever the key is.</summary>
    public DkimAlgorithm? Algorithm { get; init; }

    /// <summary>The header fields to sign, each occurrence present; From is always among them.</summary>
    public IReadOnlyList<string> Headers { get; init; } = DefaultHeaders;

    /// <summary>The header fields signed once more than they occur.</summary>
    public IReadOnlyList<string> OversignHeaders { get; init; } = DefaultOversignHeaders;

    public DkimCanonicalization HeaderCanonicalization { get; init; } = DkimCanonicalization.Relaxed;

    public DkimCanonicalization BodyCanonicalization { get; init; } = DkimCanonicalization.Relaxed;

    /// <summary>Also sign mail from any subdomain of <see cref="Domain"/> that has no entry of its own.</summary>
    public bool Subdomains { get; init; }

    /// <summary>The c= tag value, <c>relaxed/relaxed</c>.</summary>
    public string CanonicalizationTag => Word(HeaderCanonicalization) + "/" + Word(BodyCanonicalization);

    public static string Word(DkimCanonicalization canonicalization) => canonicalization == DkimCanonicalization.Simple ? "simple" : "relaxed";
}
