using System.Text;
using Postern.Delivery.Relay;

namespace Postern.Tests.Delivery.Relay;

public sealed class TlsRequiredHeaderTests
{
    [Theory]
    [InlineData("Subject: x\r\nTLS-Required: No\r\n\r\nbody\r\n", true)]
    [InlineData("tls-required:no\r\n\r\n", true)]
    [InlineData("Subject: x\nTLS-Required:\n  No\n\nbody\n", true)]
    [InlineData("TLS-Required: No\r\nSubject: last\r\n\r\n", true)]
    [InlineData("Subject: x\r\nTLS-Required: Yes\r\n\r\n", false)]
    [InlineData("Subject: x\r\nX-TLS-Required: No\r\n\r\n", false)]
    [InlineData("Subject: x\r\n\r\nTLS-Required: No\r\n", false)]
    [InlineData("Subject: x\r\nTLS-Required: No, please\r\n\r\n", false)]
    [InlineData("\r\nTLS-Required: No\r\n", false)]
    public void Only_the_field_in_the_header_section_counts(string message, bool expected) =>
        Assert.Equal(expected, TlsRequiredHeader.SaysNo(Encoding.ASCII.GetBytes(message)));

    [Fact]
    public void A_header_section_that_does_not_end_within_the_limit_keeps_the_policies()
    {
        var cut = "TLS-Required: No\r\nX-Long: " + new string('a', 100);

        Assert.False(TlsRequiredHeader.SaysNo(Encoding.ASCII.GetBytes(cut)));
    }

    [Theory]
    [InlineData("Subject: x\r\nTLS-Required: No\r\n\r\nbody\r\n", true)]
    [InlineData("Subject: x\nTLS-Required: No\n\nbody\n", true)]
    [InlineData("Subject: x\r\n\r\nTLS-Required: No\r\n", false)]
    public async Task The_blank_line_is_found_when_it_arrives_a_byte_at_a_time(string text, bool expected)
    {
        var body = Encoding.ASCII.GetBytes(text);
        var message = TestMessages.Create([TestMessages.Recipient("a@remote.test")], body) with
        {
            OpenBody = () => new TricklingStream(body),
        };

        Assert.Equal(expected, await TlsRequiredHeader.RelaxesPoliciesAsync(message, CancellationToken.None));
    }

    [Fact]
    public async Task Reading_stops_at_the_end_of_the_header_section()
    {
        var header = "Subject: x\r\nTLS-Required: No\r\n\r\n";
        var body = Encoding.ASCII.GetBytes(header + new string('b', 200_000));
        var stream = new TricklingStream(body, chunk: 16);
        var message = TestMessages.Create([TestMessages.Recipient("a@remote.test")], body) with { OpenBody = () => stream };

        Assert.True(await TlsRequiredHeader.RelaxesPoliciesAsync(message, CancellationToken.None));
        Assert.InRange(stream.HandedOut, header.Length, header.Length + 16);
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow disk or pipe might.</summary>
    private sealed class TricklingStream(byte[] bytes, int chunk = 1) : MemoryStream(bytes, writable: false)
    {
        /// <summary>How many bytes readers were given (kept after disposal).</summary>
        public long HandedOut { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, Math.Min(count, chunk)));

        // MemoryStream's span read goes through the array overload in a derived type, which counts.
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        private int Count(int read)
        {
            HandedOut += read;
            return read;
        }
    }
}
