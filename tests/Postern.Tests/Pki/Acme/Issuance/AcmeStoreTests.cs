using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Acme.Issuance;

public sealed class AcmeStoreTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    [Fact]
    public void The_account_key_is_made_once_as_a_0600_p256_pkcs8_pem_in_a_0700_directory()
    {
        using var directory = new TempDirectory();
        var store = new AcmeStore(new AcmeLayout(directory.Combine("acme")));

        using var made = store.LoadOrCreateAccountKey();
        using var loaded = store.LoadOrCreateAccountKey();

        Assert.Equal("ES256", made.Algorithm);
        Assert.Equal(made.Thumbprint, loaded.Thumbprint);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(store.Layout.AccountKeyFile), StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store.Layout.AccountKeyFile));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.Layout.Directory));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.Layout.LiveDirectory));
    }

    [Fact]
    public void State_and_account_survive_a_round_trip_and_a_broken_state_file_is_named()
    {
        using var directory = new TempDirectory();
        var store = new AcmeStore(new AcmeLayout(directory.Combine("acme")));
        Assert.Empty(store.LoadState().Certificates);
        var state = new AcmeState
        {
            ConsecutiveFailures = 2,
            LastError = "down",
            NextRenewal = new DateTimeOffset(2027, 2, 5, 0, 0, 0, TimeSpan.Zero),
        }.With(new AcmeCertificateState
        {
            KeyType = "ecdsa",
            Serial = "0A",
            Issuer = "R11",
            NotBefore = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            NotAfter = new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero),
            Domains = ["mail.example.org"],
        });

        store.SaveState(state);
        store.SaveAccount(new AcmeAccountRecord { Directory = "https://acme.test/dir", Url = "https://acme.test/acct/1", Contact = ["mailto:a@example.org"] });

        var loaded = store.LoadState();
        Assert.Equal(2, loaded.ConsecutiveFailures);
        Assert.Equal("R11", loaded.For(AcmeKeyTypes.Ecdsa)!.Issuer);
        Assert.Null(loaded.For(AcmeKeyTypes.Rsa));
        Assert.Contains("\"consecutive_failures\": 2", File.ReadAllText(store.Layout.StateFile), StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store.Layout.StateFile));
        Assert.Equal("https://acme.test/acct/1", store.LoadAccount()!.Url);

        File.WriteAllText(store.Layout.StateFile, "{ not json");
        var e = Assert.Throws<IOException>(store.LoadState);
        Assert.StartsWith(store.Layout.StateFile + ": not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_renew_request_is_taken_once()
    {
        using var directory = new TempDirectory();
        var store = new AcmeStore(new AcmeLayout(directory.Combine("acme")));
        Assert.Null(store.TakeRenewRequest());
        store.WriteRenewRequest(force: true);
        Assert.True(store.TakeRenewRequest());
        Assert.Null(store.TakeRenewRequest());
        store.WriteRenewRequest(force: false);
        Assert.False(store.TakeRenewRequest());
    }

    [Fact]
    public void The_lock_is_exclusive_between_holders()
    {
        using var directory = new TempDirectory();
        var store = new AcmeStore(new AcmeLayout(directory.Combine("acme")));
        using (store.Lock())
        {
            var e = Assert.Throws<IOException>(() => new AcmeStore(store.Layout).Lock());
            Assert.Contains(store.Layout.LockFile, e.Message, StringComparison.Ordinal);
        }
        using var again = store.Lock();
    }
}
