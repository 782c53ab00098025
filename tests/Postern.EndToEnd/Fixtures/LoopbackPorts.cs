using System.Net;
using System.Net.Sockets;

namespace Postern.EndToEnd.Fixtures;

/// <summary>Free ports and addresses on loopback for the peers a test starts itself (DNS servers, MX hosts).</summary>
public static class LoopbackPorts
{
    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the time of asking (a DNS server needs both).</summary>
    public static int FreeUdpAndTcp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }
        throw new InvalidOperationException("no free loopback port for UDP and TCP");
    }

    /// <summary>
    /// <paramref name="count"/> distinct addresses in 127.0.0.0/8 (all of it is loopback on Linux)
    /// whose TCP <paramref name="port"/> nothing holds at the time of asking: MX hosts listen on
    /// port 25, as MX delivery connects there, each on its own address. Random in 127.64.0.0/10,
    /// away from 127.0.0.1, so classes running at once do not meet.
    /// </summary>
    public static IReadOnlyList<IPAddress> FreeAddresses(int count, int port)
    {
        var addresses = new List<IPAddress>();
        for (var attempt = 0; addresses.Count < count && attempt < count * 20; attempt++)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(64, 128), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
            if (addresses.Contains(address))
            {
                continue;
            }
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(address, port));
                addresses.Add(address);
            }
            catch (SocketException)
            {
                // Held (or port 25 is not ours to bind: the tier runs as root, as the Postfix fixtures need).
            }
        }
        return addresses.Count == count ? addresses : throw new InvalidOperationException($"no {count} loopback addresses with port {port} free (binding port {port} needs root)");
    }
}
