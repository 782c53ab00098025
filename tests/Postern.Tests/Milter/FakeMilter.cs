using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Postern.Core.Milters;
using Postern.Milter.Protocol;

namespace Postern.Tests.Milter;

/// <summary>
/// A milter in the test process: a loopback listener that speaks the protocol, scripted per test.
/// It negotiates <see cref="Actions"/> and <see cref="Protocol"/>, answers each command through
/// <see cref="Respond"/> (null: the default, continue where a reply is due) and records every
/// command it receives, in order, across its connections.
/// </summary>
internal sealed class FakeMilter : IAsyncDisposable
{
    /// <summary>Respond with this to close the connection instead of answering.</summary>
    public static readonly byte[][] Close = [[]];

    /// <summary>Respond with this to send nothing (the MTA waits for its timeout).</summary>
    public static readonly byte[][] Silence = [];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _connections = [];

    public FakeMilter()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public MilterActions Actions { get; init; } = MilterActions.All;

    public MilterProtocolFlags Protocol { get; init; }

    /// <summary>Macro lists to ask for in the negotiation (sendmail's SMFIM_* index, list).</summary>
    public (uint Stage, string List)[] MacroLists { get; init; } = [];

    /// <summary>The answer to one command, as frames; null: the default.</summary>
    public Func<ReceivedCommand, byte[][]?> Respond { get; init; } = _ => null;

    public ConcurrentQueue<ReceivedCommand> Received { get; } = new();

    public int ConnectionCount;

    /// <summary>The commands received, as their letters (<c>O D C D H M R T L N B E Q</c>), macros left out.</summary>
    public string Codes => string.Concat(Received.Where(c => c.Code != 'D').Select(c => c.Code));

    public MilterDefinition Definition(string name = "fake", MilterFailureAction action = MilterFailureAction.TempFail, TimeSpan? timeout = null) =>
        new(name, new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", Port, ""))
        {
            DefaultAction = action,
            ConnectTimeout = timeout ?? TimeSpan.FromSeconds(10),
            CommandTimeout = timeout ?? TimeSpan.FromSeconds(10),
            EndOfMessageTimeout = timeout ?? TimeSpan.FromSeconds(10),
        };

    /// <summary>Waits (up to 10 s) until the last command received is <paramref name="code"/>: the MTA may have finished before the milter read it.</summary>
    public async Task WaitForAsync(char code)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!Codes.EndsWith(code))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>The macros sent before the command <paramref name="code"/> (the last time), by name.</summary>
    public Dictionary<string, string> MacrosFor(char code)
    {
        var macro = Received.LastOrDefault(c => c.Code == 'D' && c.Data.Length > 0 && c.Data[0] == (byte)code)
            ?? throw new InvalidOperationException("no macros for " + code);
        var strings = MilterWire.Strings(macro.Data.AsMemory(1));
        return Enumerable.Range(0, strings.Count / 2).ToDictionary(i => strings[2 * i], i => strings[2 * i + 1]);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref ConnectionCount);
                _connections.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new MilterFrameReader(stream);
            try
            {
                while (true)
                {
                    var frame = await reader.ReadAsync(_stop.Token);
                    var command = new ReceivedCommand((char)frame.Code, frame.Data.ToArray());
                    Received.Enqueue(command);
                    var replies = Respond(command) ?? Default(command);
                    if (ReferenceEquals(replies, Close))
                    {
                        return;
                    }
                    foreach (var reply in replies)
                    {
                        await stream.WriteAsync(reply, _stop.Token);
                    }
                    if (command.Code == 'Q')
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException or MilterProtocolException)
            {
                // The MTA hung up, or the test is over.
            }
        }
    }

    private byte[][] Default(ReceivedCommand command) => command.Code switch
    {
        'O' => [MilterWire.Negotiate(6, Actions, Protocol, MacroLists)],
        'D' or 'A' or 'Q' or 'K' => Silence,
        'L' when (Protocol & MilterProtocolFlags.NoReplyHeader) != 0 => Silence,
        'B' when (Protocol & MilterProtocolFlags.NoReplyBody) != 0 => Silence,
        _ => [MilterWire.Reply('c')],
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
