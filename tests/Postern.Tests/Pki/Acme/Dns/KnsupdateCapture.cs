using System.Text;
using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

/// <summary>The messages knsupdate sent and knotd answered, captured once (TestData/Acme/Knsupdate/README.md).</summary>
internal static class KnsupdateCapture
{
    public const string Zone = "example.test.";
    public const string Owner = "_acme-challenge.mail.example.test.";
    public const string Value = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Acme", "Knsupdate");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static TsigKey Key => TsigKeyFile.Parse(Encoding.ASCII.GetBytes(File.ReadAllText(Path.Combine(Folder, "key.txt"))), "key.txt");

    /// <summary>The request's TSIG record, as Postern reads it.</summary>
    public static TsigRecord RequestTsig(byte[] request)
    {
        var message = DnsMessageReader.Read(request);
        return Tsig.Find(message) ?? throw new InvalidOperationException("the captured request is not signed");
    }

    /// <summary>The moment the request was signed: a verifying clock that agrees with the capture.</summary>
    public static DateTimeOffset SignedAt(byte[] request) => DateTimeOffset.FromUnixTimeSeconds(RequestTsig(request).TimeSigned);

    public static int Id(byte[] message) => (message[0] << 8) | message[1];
}
