namespace Postern.Pki.Acme.Dns;

/// <summary>A TSIG key shared with the DNS primary: its name, its algorithm and the secret (decoded).</summary>
public sealed record TsigKey(string Name, TsigAlgorithm Algorithm, byte[] Secret)
{
    /// <summary>Never the secret.</summary>
    public override string ToString() => Algorithm.Name + ":" + Name;
}
