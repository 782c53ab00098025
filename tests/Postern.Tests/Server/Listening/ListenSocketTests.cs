using System.Net;
using System.Net.Sockets;
using Postern.Core.Policy;
using Postern.Server.Listening;
using Postern.Server.Options;

namespace Postern.Tests.Server.Listening;

/// <summary>The listening socket's options: SO_REUSEADDR for restarts, never SO_REUSEPORT.</summary>
public sealed class ListenSocketTests
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    [Fact]
    public void The_socket_reuses_addresses_in_time_wait_but_never_shares_the_port()
    {
        using var socket = ListenSocket.Bind(new ListenerOptions("mta", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta));
        Assert.Equal(1, Option(socket, SoReuseAddr));
        Assert.Equal(0, Option(socket, SoReusePort));
    }

    [Fact]
    public void A_second_bind_on_the_same_address_fails_and_names_the_listener()
    {
        using var first = ListenSocket.Bind(new ListenerOptions("mta", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta));
        var taken = (IPEndPoint)first.LocalEndPoint!;
        var error = Assert.Throws<ListenerBindException>(() => ListenSocket.Bind(new ListenerOptions("edge", taken, ListenerRole.Mta)));
        Assert.Equal("listener edge (" + taken + "): address already in use", error.Message);
    }

    private static int Option(Socket socket, int name)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(SolSocket, name, value);
        return BitConverter.ToInt32(value);
    }
}
