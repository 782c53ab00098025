using Postern.Config;
using Postern.Core.Delivery;

namespace Postern.Hosting;

/// <summary>
/// The transports named by a string in the configuration (<c>local.transport</c>,
/// <c>virtual.transport</c>: <c>lmtp:unix:/run/dovecot/lmtp</c>, <c>lmtp:[127.0.0.1]:24</c>), built by
/// <paramref name="build"/> (the LMTP client's factory), one per distinct string.
/// </summary>
/// <param name="build">Builds the transport of a configured string; null when this process has none (then a configured one stops the start).</param>
internal sealed class ConfiguredTransports(Func<string, ITransport>? build)
{
    private readonly Dictionary<string, ITransport> _built = new(StringComparer.Ordinal);

    /// <summary>The transport of <c>local.transport</c>; null when it is not set (Maildirs).</summary>
    public ITransport? LocalUsers(PosternConfiguration configuration) =>
        configuration.Local.Transport is { } configured ? For("local.transport", configured) : null;

    /// <summary>The transport of <c>virtual.transport</c>; null without virtual domains.</summary>
    public ITransport? Virtual(PosternConfiguration configuration) =>
        configuration.Virtual is { IsEnabled: true, Transport: { } configured } ? For("virtual.transport", configured) : null;

    private ITransport For(string key, string configured)
    {
        if (_built.TryGetValue(configured, out var transport))
        {
            return transport;
        }
        transport = build?.Invoke(configured) ?? throw new MapSetupException(key + " = \"" + configured + "\": no transport of that kind in this process");
        _built.Add(configured, transport);
        return transport;
    }
}
