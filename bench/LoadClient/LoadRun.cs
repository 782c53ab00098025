using System.Diagnostics;
using System.Text;

namespace Postern.Bench;

/// <summary>What one run measured.</summary>
internal sealed record LoadResult(
    double Rate,
    double ReusedShare,
    IReadOnlyList<string> Errors,
    double ClientCpuMsPerOperation,
    double ServerCpuMsPerOperation,
    double ClientCores,
    double ServerCores);

/// <summary>
/// Runs <see cref="LoadOptions.Count"/> operations (full sessions or handshakes) on
/// <see cref="LoadOptions.Sessions"/> threads, each with one blocking connection at a time, as
/// bench/load.py does, and measures the wall time and the CPU both sides used meanwhile.
/// </summary>
internal sealed class LoadRun(LoadOptions options) : IDisposable
{
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] Ehlo = Line("EHLO load.bench.test");
    private static readonly byte[] StartTls = Line("STARTTLS");
    private static readonly byte[] MailFrom = Line("MAIL FROM:<bench@bench.test>");
    private static readonly byte[] RcptTo = Line("RCPT TO:<sink@sink.test>");
    private static readonly byte[] Data = Line("DATA");
    private static readonly byte[] EndOfData = Line(".");
    private static readonly byte[] Noop = Line("NOOP");
    private static readonly byte[] Quit = Line("QUIT");
    private static readonly byte[] Greeting = Encoding.ASCII.GetBytes("greeting");

    private readonly TlsClientContext _tls = new();
    private readonly byte[] _message = Message(options.Size);
    private readonly List<string> _errors = [];
    private int _left = options.Count;
    private int _reused;

    public LoadResult Run()
    {
        var deadline = Stopwatch.StartNew();
        var serverBefore = ProcessCpu.TreeSeconds(options.ServerPids);
        var clientBefore = ProcessCpu.SelfSeconds();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, options.Sessions).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        foreach (var thread in threads)
        {
            var left = options.Timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !thread.Join(left))
            {
                Fail("timed out");
                break;
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var server = ProcessCpu.TreeSeconds(options.ServerPids) - serverBefore;
        var client = ProcessCpu.SelfSeconds() - clientBefore;
        var measured = options.ServerPids.Count > 0;
        lock (_errors)
        {
            return new LoadResult(
                options.Count / elapsed,
                (double)Volatile.Read(ref _reused) / options.Count,
                [.. _errors],
                client * 1000 / options.Count,
                measured ? server * 1000 / options.Count : double.NaN,
                client / elapsed,
                measured ? server / elapsed : double.NaN);
        }
    }

    public void Dispose() => _tls.Dispose();

    // One worker: as load.py's threads, it stops at its first error (counted), and with --resume
    // makes one session first and offers it until a handshake does not resume it.
    private void Work()
    {
        TlsSession? session = null;
        try
        {
            if (options.Workload == Workload.Handshakes && options.Resume)
            {
                (session, _) = Handshake(null);
            }
            while (Interlocked.Decrement(ref _left) >= 0)
            {
                if (options.Workload == Workload.Sessions)
                {
                    FullSession();
                    continue;
                }
                var (next, resumed) = Handshake(options.Resume ? session : null);
                if (resumed)
                {
                    Interlocked.Increment(ref _reused);
                    next.Dispose();
                }
                else
                {
                    session?.Dispose();
                    session = next;
                }
            }
        }
#pragma warning disable CA1031 // every failure is counted and reported, as load.py does
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            session?.Dispose();
        }
    }

    private void Fail(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>connect, EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA 4 KB, QUIT, with a full handshake.</summary>
    private void FullSession()
    {
        using var smtp = SmtpDialogue.Connect(options.Port, IoTimeout);
        smtp.Expect(2, Greeting);
        smtp.Command(Ehlo, 2);
        smtp.Command(StartTls, 2);
        smtp.StartTls(_tls, null);
        smtp.Command(Ehlo, 2);
        smtp.Command(MailFrom, 2);
        smtp.Command(RcptTo, 2);
        smtp.Command(Data, 3);
        smtp.Write(_message);
        smtp.Expect(2, EndOfData);
        smtp.Command(Quit, 2);
    }

    /// <summary>One TLS handshake (STARTTLS or implicit), then NOOP (so a TLS 1.3 ticket has arrived) and QUIT.</summary>
    private (TlsSession Session, bool Resumed) Handshake(TlsSession? offer)
    {
        using var smtp = SmtpDialogue.Connect(options.Port, IoTimeout);
        if (options.Mode == TlsMode.Implicit)
        {
            smtp.StartTls(_tls, offer);
            smtp.Expect(2, Greeting);
        }
        else
        {
            smtp.Expect(2, Greeting);
            smtp.Command(Ehlo, 2);
            smtp.Command(StartTls, 2);
            smtp.StartTls(_tls, offer);
        }
        smtp.Command(Noop, 2);
        smtp.Command(Quit, 2);
        return (smtp.EndInOrder(), smtp.Resumed);
    }

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes(text + "\r\n");

    /// <summary>The same message as load.py's: three headers, 78-byte lines up to the size, the final dot.</summary>
    private static byte[] Message(int size)
    {
        const string Header = "From: bench@bench.test\r\nTo: sink@sink.test\r\nSubject: bench\r\n\r\n";
        var line = new string('x', 76) + "\r\n";
        var body = new StringBuilder(Header);
        for (var i = 0; i < Math.Max(1, (size - Header.Length) / line.Length); i++)
        {
            body.Append(line);
        }
        return Encoding.ASCII.GetBytes(body.Append(".\r\n").ToString());
    }
}
