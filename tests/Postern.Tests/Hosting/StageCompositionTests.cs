using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Stages;
using Postern.Hosting.Stages;
using Postern.Policy;
using Postern.Server.Session;
using Postern.Tests.Config;
using Postern.Tests.Server;
using Postern.Tests.Server.Stages;

namespace Postern.Tests.Hosting;

/// <summary>Which handlers each listener's sessions and local submissions run, from the configured milter lists.</summary>
public sealed class StageCompositionTests
{
    private const string Configuration = """
        [server]
        milters = ["opendkim", "opendmarc"]
        local_milters = ["opendkim"]
        [[listener]]
        name = "mx"
        address = "127.0.0.1:25"
        role = "mta"
        [[listener]]
        name = "submission"
        address = "127.0.0.1:587"
        role = "msa"
        milters = ["spamass", "opendkim"]
        [[listener]]
        name = "internal"
        address = "127.0.0.1:2525"
        role = "mta"
        milters = []
        [[milter]]
        name = "opendkim"
        socket = "inet:8891@127.0.0.1"
        [[milter]]
        name = "opendmarc"
        socket = "inet:8893@127.0.0.1"
        [[milter]]
        name = "spamass"
        socket = "unix:/run/spamass.sock"
        """;

    [Fact]
    public void Each_listener_runs_its_own_list_else_the_servers_then_the_handlers_after_the_milters()
    {
        var configuration = ConfigTestInputs.Load(Configuration).Configuration!;
        var created = new List<string>();
        var after = new TestHandler("dkim-sign");
        var composition = new StageComposition(configuration.Milters, definition =>
        {
            created.Add(definition.Name);
            return new TestHandler("milter:" + definition.Name);
        }, [after]);

        var services = composition.Apply(Services(configuration), configuration.Server.Listeners);

        Assert.Equal(["milter:opendkim", "milter:opendmarc", "dkim-sign"], Names(services.HandlersFor("mx")));
        Assert.Equal(["milter:spamass", "milter:opendkim", "dkim-sign"], Names(services.HandlersFor("submission")));
        Assert.Equal(["dkim-sign"], Names(services.HandlersFor("internal")));
        Assert.Equal(["milter:opendkim", "dkim-sign"], Names(composition.ForLocalSubmissions()));
        Assert.False(services.ListenerHandlers.ContainsKey("mx"));
        // One handler per milter, whichever lists name it.
        Assert.Equal(["opendkim", "opendmarc", "spamass"], created.Order(StringComparer.Ordinal));
        Assert.Same(services.HandlersFor("mx")[0], services.HandlersFor("submission")[1]);
    }

    [Fact]
    public void Without_milters_the_services_keep_no_handlers()
    {
        var configuration = ConfigTestInputs.Load(ConfigTestInputs.OneListener).Configuration!;
        var composition = new StageComposition(configuration.Milters, _ => throw new InvalidOperationException("no milter is configured"), []);

        var services = composition.Apply(Services(configuration), configuration.Server.Listeners);

        Assert.Empty(services.Handlers);
        Assert.Empty(services.ListenerHandlers);
        Assert.Empty(composition.ForLocalSubmissions());
    }

    private static SessionServices Services(PosternConfiguration configuration) =>
        new(configuration.Server, new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions()), new FakeMessageQueue(), TimeProvider.System, NullLogger.Instance);

    private static IEnumerable<string> Names(IEnumerable<IStageHandler> handlers) => handlers.Select(h => h.Name);
}
