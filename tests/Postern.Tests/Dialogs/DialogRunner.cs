using System.Globalization;
using System.Text.RegularExpressions;

namespace Postern.Tests.Dialogs;

/// <summary>
/// Runs a script's steps in order against its session. Replies are read line by line; the lines of
/// the last whole reply stay available to <c>reply-has</c> and <c>reply-lacks</c>. Named groups of a
/// <c>c &lt;?</c> pattern become variables that later lines use as <c>${name}</c>.
/// </summary>
internal sealed class DialogRunner(DialogSession session)
{
    private static readonly TimeSpan SessionEndWait = TimeSpan.FromSeconds(10);
    private readonly Queue<string> _pending = new();
    private readonly List<string> _current = [];
    private readonly Dictionary<string, string> _variables = [];
    private string _lastReply = "";

    public async Task RunAsync(DialogScript script)
    {
        foreach (var step in script.Steps)
        {
            try
            {
                await RunAsync(step with { Argument = Substitute(step.Argument) });
            }
            catch (Exception e) when (e is not DialogStepException)
            {
                throw new DialogStepException(script.Name + " " + step + ": " + e.Message, e);
            }
        }
    }

    private async Task RunAsync(DialogStep step)
    {
        var harness = session.Harness;
        var argument = step.Argument;
        switch (step.Keyword)
        {
            case "c ->":
                await harness.SendAsync(DialogText.ToBytes(argument + "\r\n"));
                break;
            case "c =>":
                await harness.SendAsync(DialogText.ToBytes(argument));
                break;
            case "c <-":
                Assert.Equal(DialogText.ToText(argument), await NextLineAsync());
                break;
            case "c <~":
                Assert.StartsWith(DialogText.ToText(argument), await NextLineAsync(), StringComparison.Ordinal);
                break;
            case "c <?":
                Match(argument, await NextLineAsync());
                break;
            case "c <*":
                await SkipRestOfReplyAsync();
                break;
            case "c tls":
                var tls = await harness.StartTlsAsync(argument.Length == 0 ? null : session.ClientCertificate(argument));
                Assert.True(tls.IsEncrypted);
                break;
            case "c closed":
                Assert.Empty(_current);
                _pending.Clear();
                Assert.True(await harness.ServerClosedAsync(), "the server should have closed the connection");
                break;
            case "session-ends":
                await harness.SessionTask.WaitAsync(SessionEndWait);
                break;
            case "clock":
                harness.Clock.Advance(Duration(argument));
                break;
            case "shutdown":
                harness.RequestShutdown();
                break;
            case "reply-has":
                Assert.True(_lastReply.Contains(DialogText.ToText(argument), StringComparison.Ordinal), "not in the last reply:\n" + _lastReply);
                break;
            case "reply-lacks":
                Assert.False(_lastReply.Contains(DialogText.ToText(argument), StringComparison.Ordinal), "in the last reply:\n" + _lastReply);
                break;
            default:
                DialogAssertions.Check(session, step.Keyword, argument);
                break;
        }
    }

    /// <summary>The next reply line, reading a whole reply from the harness when none is buffered.</summary>
    private async Task<string> NextLineAsync()
    {
        if (_pending.Count == 0)
        {
            foreach (var line in (await session.Harness.ReadReplyAsync()).Split('\n'))
            {
                _pending.Enqueue(line);
            }
        }
        var next = _pending.Dequeue();
        _current.Add(next);
        if (next.Length < 4 || next[3] != '-')
        {
            _lastReply = string.Join('\n', _current);
            _current.Clear();
        }
        return next;
    }

    private async Task SkipRestOfReplyAsync()
    {
        do
        {
            await NextLineAsync();
        }
        while (_current.Count > 0);
    }

    private void Match(string pattern, string line)
    {
        var match = Regex.Match(line, "^(?:" + pattern + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(match.Success, "reply line '" + line + "' does not match " + pattern);
        foreach (var group in match.Groups.Values.Where(g => !int.TryParse(g.Name, out _)))
        {
            _variables[group.Name] = group.Value;
        }
    }

    private string Substitute(string text)
    {
        foreach (var (name, value) in _variables)
        {
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>"+6m", "+90s", "+2h": a fake clock advance.</summary>
    private static TimeSpan Duration(string text)
    {
        var number = double.Parse(text.TrimStart('+')[..^1], CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(number),
            'm' => TimeSpan.FromMinutes(number),
            'h' => TimeSpan.FromHours(number),
            _ => throw new FormatException("a duration is +Ns, +Nm or +Nh"),
        };
    }
}
