using Postern.Core.Milters;
using Postern.Core.Stages;
using Postern.Milter.Client;

namespace Postern.Milter;

/// <summary>
/// One configured milter as a stage handler (sendmail's <c>INPUT_MAIL_FILTER</c>, Postfix's
/// <c>smtpd_milters</c> item). Built once from its definition; each SMTP session opens its own
/// connection to the milter through <see cref="OpenSession"/>, so sessions never share one.
/// Several milters run in the pipeline's order, each seeing the previous ones' changes.
/// </summary>
public sealed class MilterStageHandler : IStageHandler
{
    private readonly MilterDefinition _definition;
    private readonly MilterEnvironment _environment;

    public MilterStageHandler(MilterDefinition definition, MilterEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(environment);
        _definition = definition;
        _environment = environment;
    }

    public string Name => "milter:" + _definition.Name;

    public MilterDefinition Definition => _definition;

    public bool WantsContent => true;

    public bool EditsMessage => true;

    /// <summary>The handler for one session: its own connection, opened at the connect stage and closed with the session.</summary>
    public IStageHandler OpenSession() => new MilterSession(_definition, _environment);
}
