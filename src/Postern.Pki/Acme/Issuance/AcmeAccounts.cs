using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// The account of account.key on the configured directory: the URL saved in account.json is used
/// as is; without one (or for another directory) the server is asked, which creates the account
/// or finds the existing one of this key (RFC 8555 7.3, 7.3.1). Configuring [acme] agrees to the
/// CA's terms of service, as Caddy's and Stalwart's configuration does.
/// </summary>
public sealed class AcmeAccounts(AcmeOptions options, AcmeStore store, IAcmeProtocol protocol, TimeProvider clock)
{
    /// <summary>The saved account when it belongs to this directory (then the protocol uses it), else registers.</summary>
    public async Task<AcmeAccountRecord> EnsureAsync(CancellationToken cancellationToken)
    {
        if (store.LoadAccount() is { } saved && saved.Directory == options.DirectoryUrl.ToString())
        {
            protocol.UseAccount(new Uri(saved.Url));
            return saved;
        }
        return await RegisterAsync(cancellationToken);
    }

    /// <summary>Asks the server for the account (new-account): creates it, or finds this key's existing one; saves it.</summary>
    public async Task<AcmeAccountRecord> RegisterAsync(CancellationToken cancellationToken)
    {
        var contact = options.Email is { } email ? new[] { "mailto:" + email } : [];
        var account = await protocol.RegisterAsync(new AcmeAccountRequest(contact, TermsOfServiceAgreed: true, options.EabKeyId, options.EabHmacKey), cancellationToken);
        if (account.Status != "valid")
        {
            throw new AcmeException($"the account {account.Location} is {account.Status}");
        }
        var record = new AcmeAccountRecord
        {
            Directory = options.DirectoryUrl.ToString(),
            Url = account.Location.ToString(),
            Contact = account.Contact,
            Created = store.LoadAccount() is { } previous && previous.Url == account.Location.ToString() ? previous.Created : clock.GetUtcNow(),
        };
        store.SaveAccount(record);
        return record;
    }
}
