namespace Postern.Core.Milters;

/// <summary>
/// One configured milter (a <c>[[milter]]</c> entry; sendmail's <c>INPUT_MAIL_FILTER</c>, Postfix's
/// <c>smtpd_milters</c> item): where it listens, what to do when it fails, how long each wait may take,
/// and which macros it is sent at each step.
/// </summary>
/// <param name="Name">The entry's name, used by listeners' <c>milters</c> lists, logs and metrics.</param>
/// <param name="Socket">Where the milter listens.</param>
public sealed record MilterDefinition(string Name, MilterSocketAddress Socket)
{
    /// <summary>sendmail's <c>T=C:</c> (Postfix's <c>milter_connect_timeout</c>).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>sendmail's <c>T=S:</c>/<c>T=R:</c> (Postfix's <c>milter_command_timeout</c>).</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>sendmail's <c>T=E:</c> (Postfix's <c>milter_content_timeout</c>).</summary>
    public static readonly TimeSpan DefaultEndOfMessageTimeout = TimeSpan.FromMinutes(5);

    public MilterFailureAction DefaultAction { get; init; } = MilterFailureAction.TempFail;

    /// <summary>The wait for the connection and option negotiation.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>The wait for each reply before end of message (sending a command included).</summary>
    public TimeSpan CommandTimeout { get; init; } = DefaultCommandTimeout;

    /// <summary>The wait for the whole end-of-message exchange (its modification actions included).</summary>
    public TimeSpan EndOfMessageTimeout { get; init; } = DefaultEndOfMessageTimeout;

    /// <summary>
    /// The macro names sent at each step (<c>j</c>, <c>{daemon_name}</c>); a step missing here sends
    /// sendmail's default list for it.
    /// </summary>
    public IReadOnlyDictionary<MilterMacroStage, IReadOnlyList<string>> Macros { get; init; } =
        new Dictionary<MilterMacroStage, IReadOnlyList<string>>();
}
