using System.Text;
using Postern.Pki.Acme.Challenges;

namespace Postern.Tests.Pki.Acme.Challenges;

public sealed class Http01ExchangeTests
{
    [Theory]
    [InlineData("GET /.well-known/acme-challenge/abc_-9 HTTP/1.1\r\nHost: x\r\n\r\n", "abc_-9", false)]
    [InlineData("HEAD /.well-known/acme-challenge/abc HTTP/1.0\r\n\r\n", "abc", true)]
    [InlineData("GET http://mail.example.org/.well-known/acme-challenge/abc HTTP/1.1\r\n\r\n", "abc", false)]
    [InlineData("GET /.well-known/acme-challenge/abc?x=1 HTTP/1.1\n\n", "abc", false)]
    [InlineData("GET /.well-known/acme-challenge/ HTTP/1.1\r\n\r\n", null, false)]
    [InlineData("GET /.well-known/acme-challenge/a%2Fb HTTP/1.1\r\n\r\n", null, false)]
    [InlineData("GET /.well-known/acme-challenge/abc SMTP/1.1\r\n\r\n", null, false)]
    [InlineData("DELETE /.well-known/acme-challenge/abc HTTP/1.1\r\n\r\n", null, false)]
    [InlineData("GET  /.well-known/acme-challenge/abc HTTP/1.1\r\n\r\n", null, false)]
    public void The_request_line_gives_the_token(string head, string? token, bool isHead)
    {
        Assert.Equal(token, Http01Exchange.RequestedToken(Encoding.ASCII.GetBytes(head), out var wasHead));
        Assert.Equal(isHead, wasHead && token is not null);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\nrest", 27)]
    [InlineData("GET / HTTP/1.1\nHost: x\n\n", 24)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n", -1)]
    public void The_head_ends_at_the_first_blank_line(string received, int length)
    {
        Assert.Equal(length, Http01Exchange.HeadLength(Encoding.ASCII.GetBytes(received)));
    }
}
