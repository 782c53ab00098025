using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class AcmeNoncePoolTests
{
    [Fact]
    public void Each_nonce_is_handed_out_once_newest_first()
    {
        var pool = new AcmeNoncePool();
        pool.Add("n1");
        pool.Add("n2");

        Assert.Equal("n2", pool.Take());
        Assert.Equal("n1", pool.Take());
        Assert.Null(pool.Take());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("pad==")]
    [InlineData("a\r\nInjected: 1")]
    public void What_is_not_base64url_is_not_kept(string? nonce)
    {
        var pool = new AcmeNoncePool();

        pool.Add(nonce);

        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void The_pool_keeps_only_the_newest_eight()
    {
        var pool = new AcmeNoncePool();
        for (var i = 0; i < 20; i++)
        {
            pool.Add("n" + i);
        }

        Assert.Equal(8, pool.Count);
        Assert.Equal("n19", pool.Take());
    }
}
