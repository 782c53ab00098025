using Postern.Config.Milters;
using Postern.Core.Milters;
using Postern.Core.Stages;
using Postern.Server.Options;
using Postern.Server.Session;

namespace Postern.Hosting.Stages;

/// <summary>
/// Which stage handlers run after the policy engine, per listener and for local submissions: the
/// milters of the listener's own <c>milters</c> list, else of <c>[server] milters</c> (of
/// <c>[server] local_milters</c> for local submissions), in their order, then the handlers that run
/// after every milter (<paramref name="after"/>). Each configured milter gets one handler, made by
/// <paramref name="createMilter"/>, whichever lists name it. Listeners that run the server's list
/// share one list, so the server builds one pipeline for all of them.
/// </summary>
internal sealed class StageComposition(MilterOptions milters, Func<MilterDefinition, IStageHandler> createMilter, IReadOnlyList<IStageHandler> after)
{
    private readonly Dictionary<string, IStageHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary><paramref name="services"/> with the handlers of every listener in <paramref name="listeners"/>.</summary>
    public SessionServices Apply(SessionServices services, IReadOnlyList<ListenerOptions> listeners)
    {
        ArgumentNullException.ThrowIfNull(services);
        var own = new Dictionary<string, IReadOnlyList<IStageHandler>>(StringComparer.Ordinal);
        foreach (var listener in listeners.Where(l => l.Milters is not null))
        {
            own[listener.Name] = Compose(milters.ForListener(listener));
        }
        return services with { Handlers = Compose(milters.ForServerListeners()), ListenerHandlers = own };
    }

    /// <summary>The handlers of mail from the sendmail command and the maildrop.</summary>
    public IReadOnlyList<IStageHandler> ForLocalSubmissions() => Compose(milters.ForLocalSubmissions());

    private IStageHandler[] Compose(IReadOnlyList<MilterDefinition> definitions) =>
        [.. definitions.Select(Handler), .. after];

    private IStageHandler Handler(MilterDefinition definition)
    {
        if (!_handlers.TryGetValue(definition.Name, out var handler))
        {
            handler = createMilter(definition);
            _handlers.Add(definition.Name, handler);
        }
        return handler;
    }
}
