namespace Postern.Config.Lint;

/// <summary>One thing <c>postern config check</c> flags without refusing the configuration.</summary>
/// <param name="Area">What it is about: relay, listener, tls, auth.</param>
/// <param name="Message">What is wrong and what to do, naming the key.</param>
internal sealed record ConfigWarning(string Area, string Message)
{
    /// <summary>The line printed on stderr: <c>warning: relay: ...</c>.</summary>
    public override string ToString() => $"warning: {Area}: {Message}";
}
