using System.CommandLine;
using Postern.Config;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Acme.Protocol;
using Postern.Pki.Tls;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert acme register</c>: creates the account of account.key on the configured
/// directory (with the EAB when configured), or finds the existing one, saves it and prints its
/// URL. Safe beside a running daemon: it needs no challenge port, and takes the lock only briefly.
/// </summary>
internal static class AcmeRegisterCommand
{
    /// <summary>Registration is one or two requests; more than this means the CA is not answering.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("register", "Create (or find) the ACME account of DATA_DIR/acme/account.key and print its URL") { config, dataDir };
        command.SetAction((parse, cancellationToken) =>
        {
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            return loaded.Succeeded
                ? RunAsync(loaded.Configuration, TimeProvider.System, Console.Out, Console.Error, cancellationToken)
                : Task.FromResult(ConfigurationErrors.Report(loaded, Console.Error, "nothing registered"));
        });
        return command;
    }

    internal static Task<int> RunAsync(PosternConfiguration configuration, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        AcmeCommand.OptionsOf(configuration, "register", error) is { } options
            ? RunAsync(configuration, options, (key, time) => AcmeClient.Create(options, key, time), clock, output, error, cancellationToken)
            : Task.FromResult(ExitCodes.Config);

    /// <summary>Test seam: <paramref name="connect"/> makes the protocol for the account key.</summary>
    internal static async Task<int> RunAsync(
        PosternConfiguration configuration, AcmeOptions options, Func<AcmeAccountKey, TimeProvider, IAcmeProtocol> connect, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var store = new AcmeStore(new AcmeLayout(options.Directory));
        try
        {
            using var key = store.LoadOrCreateAccountKey();
            var protocol = connect(key, clock);
            try
            {
                using var deadline = new CancellationTokenSource(Deadline, clock);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                AcmeAccountRecord account;
                using (store.Lock())
                {
                    account = await new AcmeAccounts(options, store, protocol, clock).RegisterAsync(either.Token);
                }
                output.WriteLine($"account {account.Url}");
                output.WriteLine($"  directory {account.Directory}{(account.Contact.Count > 0 ? ", contact " + string.Join(", ", account.Contact) : "")}, key {store.Layout.AccountKeyFile}");
                return ExitCodes.Ok;
            }
            finally
            {
                (protocol as IDisposable)?.Dispose();
            }
        }
        catch (TlsConfigurationException e)
        {
            error.WriteLine(TlsErrorReport.Describe(configuration, e) + "; nothing registered");
            return ExitCodes.Config;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"postern: cert acme register: {options.DirectoryUrl} did not answer within {DurationSyntax.Format(Deadline)}");
            return ExitCodes.TempFail;
        }
        catch (Exception e) when (e is AcmeException or IOException or HttpRequestException)
        {
            error.WriteLine($"postern: cert acme register: {e.Message}");
            return ExitCodes.TempFail;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"postern: cert acme register: {e.Message}");
            return ExitCodes.NoPermission;
        }
    }
}
