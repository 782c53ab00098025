using Microsoft.Extensions.Logging;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Challenges;
using Postern.Pki.Acme.Dns;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Acme.Protocol;

namespace Postern.Hosting;

/// <summary>
/// What one process needs to order certificates for <c>[acme]</c>: the store, the account key,
/// the HTTPS client for the directory, the challenge responder (listening, or its TSIG key read)
/// and the renewer over them. The daemon keeps one for its lifetime; <c>postern cert acme
/// renew|register</c> without a daemon makes one for the command.
/// </summary>
internal sealed class AcmeRuntime : IAsyncDisposable
{
    private readonly AcmeAccountKey _key;
    private readonly AcmeClient _client;

    private AcmeRuntime(AcmeStore store, AcmeAccountKey key, AcmeClient client, IAcmeChallengeResponder responder, AcmeRenewer renewer)
    {
        Store = store;
        _key = key;
        _client = client;
        Responder = responder;
        Renewer = renewer;
    }

    public AcmeStore Store { get; }

    public IAcmeChallengeResponder Responder { get; }

    public AcmeRenewer Renewer { get; }

    /// <summary>Loads (or makes) the account key, builds the client and starts the responder.</summary>
    /// <exception cref="IOException">The responder's address cannot be bound, or the account key or TSIG key file is unusable (one line naming the file or setting).</exception>
    /// <exception cref="Pki.Tls.TlsConfigurationException">acme.directory_ca_file cannot be loaded.</exception>
    public static AcmeRuntime Start(AcmeOptions options, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new AcmeStore(new AcmeLayout(options.Directory));
        AcmeAccountKey key;
        try
        {
            key = store.LoadOrCreateAccountKey();
        }
        catch (AcmeException e)
        {
            throw new IOException("acme: " + e.Message, e);
        }
        AcmeClient? client = null;
        try
        {
            client = AcmeClient.Create(options, key, clock);
            var responder = AcmeChallengeResponders.Start(options, clock, logger);
            // The seed only spreads renewal times; nothing secret depends on it.
#pragma warning disable CA5394
            var renewer = new AcmeRenewer(options, store, client, responder, clock, new Random());
#pragma warning restore CA5394
            return new AcmeRuntime(store, key, client, responder, renewer);
        }
        catch (TsigKeyFileException e)
        {
            client?.Dispose();
            key.Dispose();
            throw new IOException("acme.dns_tsig_key_file: " + e.Message, e);
        }
        catch
        {
            client?.Dispose();
            key.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Responder.DisposeAsync();
        _client.Dispose();
        _key.Dispose();
    }
}
