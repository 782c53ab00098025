namespace Postern.EndToEnd.Acme;

/// <summary>
/// The dns-01 peer itself, before any test builds on it: the private knotd takes an update signed
/// with the test's TSIG key (as knsupdate sends it) and serves the record, refuses an update signed
/// with another key, and answers every other name in the zone with 127.0.0.1. If these fail, the
/// dns-01 tests' results say nothing about Postern.
/// </summary>
public sealed class KnotServerTests : IAsyncLifetime
{
    private KnotServer _knot = null!;

    public async Task InitializeAsync() => _knot = await KnotServer.StartAsync();

    public async Task DisposeAsync() => await _knot.DisposeAsync();

    [Fact]
    public async Task An_update_signed_with_the_key_is_served_and_one_signed_with_another_is_refused()
    {
        var name = "_acme-challenge.mail." + _knot.Zone + ".";

        var (code, output) = await _knot.UpdateAsync($"update add {name} 60 TXT \"signed\"\nsend");
        Assert.True(code == 0, output + "\n" + _knot.Log);
        Assert.Equal(["signed"], await _knot.TxtAsync(name));

        var forged = "hmac-sha256:" + KnotServer.KeyName + ":" + Convert.ToBase64String(new byte[32]);
        (code, output) = await _knot.UpdateAsync($"update add {name} 60 TXT \"forged\"\nsend", forged);
        Assert.True(code != 0, output);
        Assert.Contains("BADSIG", output, StringComparison.Ordinal);
        Assert.Equal(["signed"], await _knot.TxtAsync(name));
    }

    [Fact]
    public async Task The_key_file_is_in_bind_format()
    {
        var text = await File.ReadAllTextAsync(_knot.TsigKeyFile);

        Assert.Equal($"key \"{KnotServer.KeyName}\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{_knot.Secret}\";\n}};\n", text);
    }

    [Fact]
    public async Task Every_name_in_the_zone_resolves_to_loopback()
    {
        var (code, output) = await ExternalCommand.RunAsync("/usr/bin/kdig", "@" + _knot.EndPoint.Address, "-p", _knot.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+short", "A", "anything." + _knot.Zone);

        Assert.True(code == 0, output);
        Assert.Contains("127.0.0.1", output, StringComparison.Ordinal);
    }
}
