namespace Postern.Delivery.Aliases;

/// <summary>The file being parsed, what it may contain and the errors found so far.</summary>
internal sealed class AliasesParseContext(string file, bool allowPipes, bool allowFiles)
{
    public string File { get; } = file;

    public bool AllowPipes { get; } = allowPipes;

    public bool AllowFiles { get; } = allowFiles;

    public List<AliasesError> Errors { get; } = [];

    public void Error(int line, string message) => Errors.Add(new AliasesError(File, line, message));

    public void ThrowIfErrors()
    {
        if (Errors.Count > 0)
        {
            throw new AliasesParseException(Errors);
        }
    }
}
