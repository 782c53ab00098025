using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Postern.Hosting;

/// <summary>SIGHUP and a new ACME certificate: what the daemon reads again without a restart.</summary>
internal sealed partial class MtaService
{
    private void OnReload(PosixSignalContext context)
    {
        context.Cancel = true;
        ReloadTls(_log);
        ReloadMap(accessMap, "access map", configuration.RelayPolicy.AccessMapFile);
        ReloadMap(senderLogins, "sender login map", configuration.Server.Auth.SenderLoginMapFile);
        ReloadDkimKeys();
        if (maps.ReloadFiles() is { Length: > 0 } mapErrors)
        {
            ReloadFailed(_log, "virtual maps", mapErrors);
        }
        var errors = directory.Reload();
        if (errors.Length == 0)
        {
            Reloaded(_log, configuration.Local.AliasesFile ?? "(no aliases file)");
        }
        else
        {
            ReloadFailed(_log, "aliases", errors);
        }
    }

    /// <summary>The server's and the relay client's certificates, read again now (SIGHUP, a new ACME certificate).</summary>
    private void ReloadTls(ILogger log)
    {
        _tls?.ReloadAndLog(log);
        _clientTls?.ReloadAndLog(log);
    }

    /// <summary>
    /// Reads the DKIM keys again (a rotated key file takes effect without a restart); a key that
    /// fails keeps the previous keys. The entries themselves come from postern.toml, read at start.
    /// </summary>
    private void ReloadDkimKeys()
    {
        if (configuration.Dkim.Count == 0)
        {
            return;
        }
        var errors = dkim.Reload();
        if (errors.Length > 0)
        {
            ReloadFailed(_log, "DKIM keys", errors);
            return;
        }
        var files = string.Join(", ", configuration.Dkim.Select(e => e.KeyFile).Distinct());
        MapReloaded(_log, "DKIM keys", files);
        foreach (var warning in dkim.Current.Warnings)
        {
            DkimWarning(_log, warning);
        }
    }

    /// <summary>Reloads a map that a file backs and says which file; a map with no file has nothing to reload.</summary>
    private void ReloadMap<T>(Reloadable<T> map, string what, string? file)
        where T : class
    {
        if (file is null)
        {
            return;
        }
        var errors = map.Reload();
        if (errors.Length == 0)
        {
            MapReloaded(_log, what, file);
        }
        else
        {
            ReloadFailed(_log, what, errors);
        }
    }
}
