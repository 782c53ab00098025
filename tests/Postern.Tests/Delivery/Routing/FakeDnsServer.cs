using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Tests.Delivery.Routing;

/// <summary>
/// A tiny authoritative DNS server on 127.0.0.1 (UDP, a free port) answering A, AAAA, MX and TXT from an
/// in-memory zone. Names not in the zone get NXDOMAIN; SERVFAIL and silence (timeouts) on demand.
/// Responses are built by hand: header, the question echoed, answer RRs. As a validating resolver
/// would, it sets the AD bit on answers (and denials) for names under a <see cref="Signed"/> zone,
/// follows CNAME chains within its zone, and serves TLSA records.
/// </summary>
internal sealed class FakeDnsServer : IDisposable
{
    public const ushort TypeA = 1;
    public const ushort TypeMx = 15;
    public const ushort TypeTxt = 16;
    public const ushort TypeAaaa = 28;
    public const ushort TypeCname = 5;
    public const ushort TypeTlsa = 52;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, ConcurrentBag<(ushort Type, byte[] Data)>> _zone = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _serverFailures = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _silent = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _signedZones = new(StringComparer.OrdinalIgnoreCase);

    public FakeDnsServer()
    {
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>Every question asked, as (name, type), in order.</summary>
    public ConcurrentQueue<(string Name, ushort Type)> Queries { get; } = new();

    public FakeDnsServer A(string name, string address) => Add(name, TypeA, IPAddress.Parse(address).GetAddressBytes());

    public FakeDnsServer Aaaa(string name, string address) => Add(name, TypeAaaa, IPAddress.Parse(address).GetAddressBytes());

    public FakeDnsServer Mx(string name, ushort preference, string exchange)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, preference);
        return Add(name, TypeMx, [.. data, .. EncodeName(exchange)]);
    }

    public FakeDnsServer Cname(string name, string target) => Add(name, TypeCname, EncodeName(target));

    public FakeDnsServer Tlsa(string name, byte usage, byte selector, byte matchingType, byte[] data) =>
        Add(name, TypeTlsa, [usage, selector, matchingType, .. data]);

    /// <summary>Answers for <paramref name="zone"/> and the names under it carry the AD bit, as if validated.</summary>
    public FakeDnsServer Signed(string zone)
    {
        _signedZones[zone] = 0;
        return this;
    }

    /// <summary>One TXT record made of <paramref name="strings"/> (each at most 255 bytes).</summary>
    public FakeDnsServer Txt(string name, params string[] strings) =>
        Add(name, TypeTxt, [.. strings.SelectMany(s => (byte[])[(byte)Encoding.ASCII.GetByteCount(s), .. Encoding.ASCII.GetBytes(s)])]);

    /// <summary>The name exists but has no records (NOERROR, no answers for any type).</summary>
    public FakeDnsServer Exists(string name)
    {
        _zone.GetOrAdd(name, _ => []);
        return this;
    }

    public FakeDnsServer ServerFailure(string name)
    {
        _serverFailures[name] = 0;
        return this;
    }

    /// <summary>Queries for this name get no answer at all.</summary>
    public FakeDnsServer Silent(string name)
    {
        _silent[name] = 0;
        return this;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by its socket being closed.
        }
        _stop.Dispose();
    }

    private FakeDnsServer Add(string name, ushort type, byte[] data)
    {
        _zone.GetOrAdd(name, _ => []).Add((type, data));
        return this;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var response = Answer(request.Buffer);
            if (response is not null)
            {
                try
                {
                    await _udp.SendAsync(response, request.RemoteEndPoint, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1)
        {
            return null;
        }
        var (name, end) = ReadName(query, 12);
        if (end + 4 > query.Length)
        {
            return null;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(end));
        Queries.Enqueue((name, type));
        if (_silent.ContainsKey(name))
        {
            return null;
        }

        byte responseCode = 0;
        List<(string Owner, ushort Type, byte[] Data)> answers = [];
        var authenticated = IsSigned(name);
        if (_serverFailures.ContainsKey(name))
        {
            responseCode = 2;
            authenticated = false;
        }
        else if (!_zone.TryGetValue(name, out var records))
        {
            responseCode = 3;
        }
        else
        {
            // A CNAME chain inside the zone is followed, as a recursive resolver does (bounded).
            var owner = name;
            ConcurrentBag<(ushort Type, byte[] Data)>? current = records;
            for (var step = 0; step < 8 && current is not null; step++)
            {
                byte[]? alias = type == TypeCname ? null : current.Where(r => r.Type == TypeCname).Select(r => r.Data).FirstOrDefault();
                if (alias is null)
                {
                    answers.AddRange(current.Where(r => r.Type == type).Select(r => (owner, r.Type, r.Data)));
                    break;
                }
                answers.Add((owner, TypeCname, alias));
                owner = ReadName(alias, 0).Name;
                authenticated &= IsSigned(owner);
                current = _zone.TryGetValue(owner, out var next) ? next : null;
            }
        }

        var question = query.AsSpan(12, end + 4 - 12);
        using var output = new MemoryStream();
        var header = new byte[12];
        query.AsSpan(0, 2).CopyTo(header); // id
        header[2] = (byte)(0x80 | 0x04 | (query[2] & 0x79)); // QR, AA, opcode and RD copied
        header[3] = (byte)(0x80 | (authenticated ? 0x20 : 0) | responseCode); // RA, AD, RCODE
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Count);
        output.Write(header);
        output.Write(question);
        foreach (var (owner, recordType, data) in answers)
        {
            output.Write(EncodeName(owner));
            var record = new byte[10];
            BinaryPrimitives.WriteUInt16BigEndian(record, recordType);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), 1); // IN
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), 60);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(8), (ushort)data.Length);
            output.Write(record);
            output.Write(data);
        }
        return output.ToArray();
    }

    private bool IsSigned(string name) =>
        _signedZones.Keys.Any(zone => name.Equals(zone, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase));

    private static (string Name, int End) ReadName(byte[] message, int offset)
    {
        var labels = new List<string>();
        while (offset < message.Length && message[offset] != 0)
        {
            var length = message[offset];
            labels.Add(Encoding.ASCII.GetString(message, offset + 1, Math.Min(length, message.Length - offset - 1)));
            offset += 1 + length;
        }
        return (string.Join('.', labels), offset + 1);
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }
}
