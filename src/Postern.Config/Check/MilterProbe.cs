using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Postern.Core.Milters;

namespace Postern.Config.Check;

/// <summary>
/// <c>config check</c>'s question to a configured milter: does something that speaks the milter
/// protocol answer on its socket? Connects, sends the option negotiation (SMFIC_OPTNEG: protocol
/// version 6, every action and protocol step offered) and expects SMFIC_OPTNEG back, then says
/// goodbye (SMFIC_QUIT). The whole exchange has one short deadline; the reply's length is checked
/// before anything else is read.
/// </summary>
public static class MilterProbe
{
    /// <summary>How long one probe may take, connect included.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(5);

    private const byte OptionNegotiation = (byte)'O';
    private const byte Quit = (byte)'Q';
    private const int Version = 6;
    private const uint AllActions = 0x1FF;
    private const uint AllProtocolSteps = 0x1FFFFF;

    // The reply carries 13 bytes, then (version 6) the macro lists the milter asks for: a few hundred bytes.
    private const int MaxReplyLength = 64 * 1024;

    /// <summary>Null when the milter answered the negotiation; else what went wrong, in a few words.</summary>
    public static async Task<string?> ProbeAsync(MilterSocketAddress address, TimeSpan deadline, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var timeout = new CancellationTokenSource(deadline, clock);
        try
        {
            using var socket = address.Kind == MilterSocketKind.Unix
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            EndPoint endPoint = address.Kind == MilterSocketKind.Unix
                ? new UnixDomainSocketEndPoint(address.Path)
                : IPAddress.TryParse(address.Host, out var ip) ? new IPEndPoint(ip, address.Port) : new DnsEndPoint(address.Host, address.Port);
            await socket.ConnectAsync(endPoint, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(NegotiationFrame(), timeout.Token);
            var header = new byte[5];
            await stream.ReadExactlyAsync(header, timeout.Token);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length is < 13 or > MaxReplyLength || header[4] != OptionNegotiation)
            {
                return $"it does not speak the milter protocol (a reply of {length} bytes, command 0x{header[4]:x2}, where SMFIC_OPTNEG was expected)";
            }
            // The rest of the reply (version, actions, steps, macro lists), so the goodbye is orderly.
            await stream.ReadExactlyAsync(new byte[length - 1], timeout.Token);
            await stream.WriteAsync(new byte[] { 0, 0, 0, 1, Quit }, timeout.Token);
            socket.Shutdown(SocketShutdown.Send);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {deadline.TotalSeconds:0.#}s";
        }
        catch (EndOfStreamException)
        {
            return "it closed the connection without answering the option negotiation";
        }
        catch (SocketException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    /// <summary>SMFIC_OPTNEG: length 13, 'O', version, actions, protocol steps (big-endian).</summary>
    private static byte[] NegotiationFrame()
    {
        var frame = new byte[17];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 13);
        frame[4] = OptionNegotiation;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), Version);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(9), AllActions);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(13), AllProtocolSteps);
        return frame;
    }
}
