using System.Text.RegularExpressions;
using Postern.Config;
using Postern.Filters.Dkim;
using Postern.Tests.Delivery;
using Postern.Tools.Dkim;

namespace Postern.Tests.Tools.Dkim;

/// <summary>`postern dkim keygen` and `show`: a 0600 key file, never over another, and a record that publishes exactly that key.</summary>
public sealed partial class DkimKeyToolTests
{
    [Theory]
    [InlineData("rsa", null, 2048)]
    [InlineData("rsa", 1024, 1024)]
    [InlineData("ed25519", null, 256)]
    public void Keygen_writes_a_private_key_and_prints_the_record_that_publishes_it(string algorithm, int? bits, int expectedBits)
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("example.com.s2026.key");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = DkimKeyTool.KeyGen("Example.com.", "s2026", algorithm, bits, file, output, error);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var key = DkimKeyFile.Read(file);
        Assert.Equal(expectedBits, key.Bits);
        var record = output.ToString();
        Assert.StartsWith($"s2026._domainkey.example.com. IN TXT ( \"v=DKIM1; k={algorithm}; \"", record, StringComparison.Ordinal);
        Assert.Equal($"v=DKIM1; k={algorithm}; p={key.PublicKeyBase64}", JoinedText(record));
        Assert.Contains("key = \"" + file + "\"", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_of_a_large_key_is_split_into_strings_a_zone_file_accepts()
    {
        using var directory = new TempDirectory();
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Ok, DkimKeyTool.KeyGen("example.com", "big", "rsa", 4096, directory.Combine("big.key"), output, TextWriter.Null));

        var strings = QuotedStrings(output.ToString());
        Assert.True(strings.Count >= 4, output.ToString());
        Assert.All(strings, s => Assert.InRange(s.Length, 1, DkimDnsRecord.MaxStringLength));
    }

    [Fact]
    public void Keygen_never_overwrites_a_file()
    {
        using var directory = new TempDirectory();
        var file = directory.WriteFile("existing.key", "keep me");
        var error = new StringWriter();

        var exit = DkimKeyTool.KeyGen("example.com", "s", "ed25519", null, file, TextWriter.Null, error);

        Assert.Equal(ExitCodes.CannotCreate, exit);
        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.Equal($"postern dkim keygen: {file} exists; not overwritten (remove it, or choose another --out)\n", error.ToString());
    }

    [Theory]
    [InlineData("bad domain", "s", "rsa", null, "--domain must be a domain name")]
    [InlineData("example.com", "s;x=1", "rsa", null, "--selector must be")]
    [InlineData("example.com", "s", "dsa", null, "--algorithm must be rsa or ed25519")]
    [InlineData("example.com", "s", "ed25519", 2048, "--bits is for rsa keys")]
    [InlineData("example.com", "s", "rsa", 512, "--bits must be 1024 to 4096")]
    public void Keygen_refuses_bad_arguments_in_one_line(string domain, string selector, string algorithm, int? bits, string message)
    {
        using var directory = new TempDirectory();
        var error = new StringWriter();

        var exit = DkimKeyTool.KeyGen(domain, selector, algorithm, bits, directory.Combine("k"), TextWriter.Null, error);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("postern dkim keygen: " + message, error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(directory.Combine("k")));
    }

    [Fact]
    public void Show_prints_again_what_keygen_printed_and_names_it_after_the_entries_using_the_key()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("k");
        var generated = new StringWriter();
        Assert.Equal(ExitCodes.Ok, DkimKeyTool.KeyGen("example.com", "s2026", "rsa", null, file, generated, TextWriter.Null));

        var shown = new StringWriter();
        Assert.Equal(ExitCodes.Ok, DkimKeyTool.Show(file, "example.com", "s2026", null, shown, TextWriter.Null));
        Assert.Equal(generated.ToString(), shown.ToString());

        var result = ConfigTestInputsLoad($"[[dkim]]\ndomain = \"example.com\"\nselector = \"s2026\"\nkey = \"{file}\"\n\n[[dkim]]\ndomain = \"example.net\"\nselector = \"n1\"\nkey = \"{file}\"\n");
        var fromConfig = new StringWriter();
        Assert.Equal(ExitCodes.Ok, DkimKeyTool.Show(file, null, null, result, fromConfig, TextWriter.Null));
        Assert.Equal(generated.ToString() + generated.ToString().Replace("s2026._domainkey.example.com.", "n1._domainkey.example.net.", StringComparison.Ordinal).Replace("s2026 for example.com", "n1 for example.net", StringComparison.Ordinal), fromConfig.ToString());
    }

    [Fact]
    public void Show_tells_a_missing_file_from_one_that_is_not_a_key()
    {
        using var directory = new TempDirectory();
        var error = new StringWriter();

        Assert.Equal(ExitCodes.NoInput, DkimKeyTool.Show(directory.Combine("none"), null, null, null, TextWriter.Null, error));
        Assert.Equal(ExitCodes.DataError, DkimKeyTool.Show(directory.WriteFile("junk", "junk"), null, null, null, TextWriter.Null, error));
        Assert.Equal(ExitCodes.Usage, DkimKeyTool.Show(directory.WriteFile("x", "x"), "example.com", null, null, TextWriter.Null, error));
    }

    [Fact]
    public void An_ed25519_key_file_is_RFC_8410_PKCS8_version_0_which_OpenSSL_reads()
    {
        using var key = DkimPrivateKey.Generate(DkimAlgorithm.Ed25519, 0);

        var pem = key.ToPem();

        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        Assert.Equal(48, der.Length);
        Assert.Equal(Convert.FromHexString("302e020100300506032b657004220420"), der[..16]);
        using var again = DkimPrivateKey.FromPem(pem);
        Assert.Equal(key.PublicKeyBase64, again.PublicKeyBase64);
    }

    private static PosternConfiguration ConfigTestInputsLoad(string dkim)
    {
        var result = Postern.Tests.Config.ConfigTestInputs.Load(Postern.Tests.Config.ConfigTestInputs.OneListener + dkim, Postern.Tests.Config.ConfigTestInputs.AllPathsExist());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }

    /// <summary>The TXT record's text as a resolver returns it: the character-strings joined.</summary>
    private static string JoinedText(string zoneEntry) => string.Concat(QuotedStrings(zoneEntry));

    private static List<string> QuotedStrings(string zoneEntry) => [.. Quoted().Matches(zoneEntry[..zoneEntry.IndexOf(')', StringComparison.Ordinal)]).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}
