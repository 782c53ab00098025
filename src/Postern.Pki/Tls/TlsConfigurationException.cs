namespace Postern.Pki.Tls;

/// <summary>
/// The TLS configuration cannot be used (missing file, no key, mismatched key...); the message names
/// the file and the fault, and <see cref="File"/> holds that file so the configuration line that
/// named it can be reported too.
/// </summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException()
    {
    }

    public TlsConfigurationException(string message)
        : base(message)
    {
    }

    public TlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TlsConfigurationException(string file, string message, Exception? innerException)
        : base(message, innerException)
    {
        File = file;
    }

    /// <summary>The file (or directory) at fault, when there is one.</summary>
    public string? File { get; }

    /// <summary>A fault of <paramref name="file"/>: the message is <c>FILE: PROBLEM</c>.</summary>
    public static TlsConfigurationException About(string file, string problem, Exception? innerException = null) =>
        new(file, $"{file}: {problem}", innerException);

    /// <summary>The same fault of the same file, with more said after the message.</summary>
    public TlsConfigurationException WithSuffix(string suffix) =>
        File is null ? new(Message + suffix, this) : new(File, Message + suffix, this);
}
