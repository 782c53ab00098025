namespace Postern.Pki.Acme.Dns;

/// <summary>A TSIG key file that cannot be used: the message starts with FILE:LINE.</summary>
public sealed class TsigKeyFileException : Exception
{
    public TsigKeyFileException(string file, int line, string reason)
        : base($"{file}:{line}: {reason}")
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public TsigKeyFileException()
    {
        File = "";
        Reason = "";
    }

    public TsigKeyFileException(string message)
        : base(message)
    {
        File = "";
        Reason = message;
    }

    public TsigKeyFileException(string message, Exception inner)
        : base(message, inner)
    {
        File = "";
        Reason = message;
    }

    public string File { get; }

    /// <summary>The line the error is on (1-based; 0 when the file could not be read at all).</summary>
    public int Line { get; }

    public string Reason { get; }
}
