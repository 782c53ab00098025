using System.Net;
using System.Net.Sockets;
using Postern.Server.Options;

namespace Postern.Server.Listening;

/// <summary>Creates the bound, listening socket of one listener.</summary>
internal static class ListenSocket
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int Backlog = 512;

    /// <summary>
    /// Binds with SO_REUSEADDR only, so connections of a stopped daemon in TIME_WAIT do not stop a
    /// restart. Never SO_REUSEPORT (.NET's <c>SocketOptionName.ReuseAddress</c> sets both on Linux):
    /// with it a second daemon could bind the same address and the kernel would split the
    /// connections between two configurations.
    /// </summary>
    /// <exception cref="ListenerBindException">The address is in use or cannot be bound.</exception>
    public static Socket Bind(ListenerOptions listener)
    {
        var socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && listener.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(listener.EndPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ListenerBindException("listener " + listener.Name + " (" + listener.EndPoint + "): " + Describe(e), e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this host",
        SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        _ => e.Message,
    };
}
