using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Postern.Core.Queueing;

namespace Postern.Tests.Dialogs;

/// <summary>
/// The checks a script makes after (or between) its exchanges: what was queued, the queue's
/// counters, the ETRN requests, the user look-ups and the mail log.
/// </summary>
internal static class DialogAssertions
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    public static void Check(DialogSession session, string keyword, string argument)
    {
        var queue = session.Harness.Queue;
        switch (keyword)
        {
            case "queued-count":
                Assert.Equal(Number(argument), queue.Committed.Count);
                break;
            case "aborted-count":
                Assert.Equal(Number(argument), queue.Aborted);
                break;
            case "begun-count":
                Assert.Equal(Number(argument), queue.Begun);
                break;
            case "queued":
                CheckQueued(session, argument);
                break;
            case "etrn-requests":
                Assert.Equal(Words(argument), session.QueueControl.Requests);
                break;
            case "auth-lookups":
                Assert.Equal(Words(argument), session.Users.Lookups);
                break;
            case "log-has":
                Assert.Contains(session.Log.Messages, m => m.Contains(DialogText.ToText(argument), StringComparison.Ordinal));
                break;
            case "log-lacks":
                Assert.DoesNotContain(session.Log.Messages, m => m.Contains(DialogText.ToText(argument), StringComparison.Ordinal));
                break;
            case "log-matches":
                Assert.Contains(session.Log.Messages, m => Regex.IsMatch(m, argument, RegexOptions.None, PatternTimeout));
                break;
            case "log-once":
                Assert.Single(session.Log.Messages, m => Regex.IsMatch(m, argument, RegexOptions.None, PatternTimeout));
                break;
            default:
                throw new FormatException("unknown step " + keyword);
        }
    }

    /// <summary><c>queued [N] FIELD VALUE</c>: a fact of the Nth committed message (1-based; the last when N is left out).</summary>
    private static void CheckQueued(DialogSession session, string argument)
    {
        var committed = session.Harness.Queue.Committed.ToArray();
        Assert.NotEmpty(committed);
        var parts = argument.Split(' ', 2);
        var (envelope, bytes) = int.TryParse(parts[0], CultureInfo.InvariantCulture, out var index) ? committed[index - 1] : committed[^1];
        if (index > 0)
        {
            parts = parts[1].Split(' ', 2);
        }
        var field = parts[0];
        var raw = parts.Length > 1 ? parts[1] : "";
        var expected = field == "body-matches" ? raw : DialogText.ToText(raw);
        var body = Encoding.UTF8.GetString(bytes);
        switch (field)
        {
            case "body-starts-with":
                Assert.StartsWith(expected, body, StringComparison.Ordinal);
                break;
            case "body-ends-with":
                Assert.EndsWith(expected, body, StringComparison.Ordinal);
                break;
            case "body-contains":
                Assert.Contains(expected, body, StringComparison.Ordinal);
                break;
            case "body-matches":
                // A pattern keeps its backslashes: the regex engine reads \r, \w and the rest.
                Assert.Matches(new Regex(raw, RegexOptions.None, PatternTimeout), body);
                break;
            case "line-ends":
                Assert.Equal("crlf", expected);
                Assert.True(HasOnlyCrlf(bytes), "the message has a bare CR or LF");
                break;
            case "body-not-empty":
                Assert.NotEmpty(bytes);
                break;
            case "deliver-by":
                CheckDeliverBy(session, envelope, expected);
                break;
            case "dkim":
                CheckDkim(session, bytes, expected);
                break;
            default:
                Assert.Equal(expected, EnvelopeField(envelope, field));
                break;
        }
    }

    /// <summary>The envelope's fields as scripts write them; <c>&lt;none&gt;</c> stands for null.</summary>
    private static string EnvelopeField(Envelope envelope, string field) => field switch
    {
        "sender" => envelope.Sender?.ToString() ?? "<>",
        "recipients" => string.Join(' ', envelope.Recipients.Select(r => r.Address.ToString())),
        "recipient-count" => envelope.Recipients.Count.ToString(CultureInfo.InvariantCulture),
        "body-type" => envelope.Body.ToString(),
        "smtputf8" => envelope.SmtpUtf8 ? "yes" : "no",
        "requiretls" => envelope.RequireTls ? "yes" : "no",
        "ret" => envelope.Return.ToString(),
        "envid" => envelope.EnvelopeId ?? "<none>",
        "notify" => envelope.Recipients[0].Notify.ToString(),
        "orcpt" => envelope.Recipients[0].OriginalRecipient ?? "<none>",
        "protocol" => envelope.Client.Protocol,
        "helo" => envelope.Client.HeloName ?? "<none>",
        "auth-user" => envelope.Client.AuthenticatedUser ?? "<none>",
        "auth-param" => envelope.AuthParameter ?? "<none>",
        "quarantine" => envelope.QuarantineReason ?? "<none>",
        _ => throw new FormatException("unknown queued field " + field),
    };

    /// <summary>
    /// <c>deliver-by +SECONDS MODE TRACE</c>: the deadline is that far from both the envelope's
    /// arrival and the (unadvanced) fake clock; MODE is Return or Notify, TRACE yes or no.
    /// </summary>
    private static void CheckDeliverBy(DialogSession session, Envelope envelope, string expected)
    {
        var words = expected.Split(' ');
        var offset = TimeSpan.FromSeconds(double.Parse(words[0], CultureInfo.InvariantCulture));
        var mode = Enum.Parse<DeliverByMode>(words[1]);
        var trace = words[2] == "yes";
        Assert.Equal(new DeliverBy(envelope.ReceivedAt + offset, mode, trace), envelope.DeliverBy);
        Assert.Equal(session.Harness.Clock.GetUtcNow() + offset, envelope.DeliverBy!.Deadline);
    }

    /// <summary>
    /// <c>dkim none</c>: the message has no DKIM-Signature; <c>dkim pass N</c>: it has N, and MimeKit's
    /// verifier passes each with the keys of the script's dkim directives.
    /// </summary>
    private static void CheckDkim(DialogSession session, byte[] bytes, string expected)
    {
        var results = Filters.Dkim.DkimTestMessages.Verify(bytes, session.DkimRecords);
        if (expected == "none")
        {
            Assert.Empty(results);
            return;
        }
        var words = Words(expected);
        Assert.Equal("pass", words[0]);
        Assert.Equal(Enumerable.Repeat(true, Number(words[1])), results);
    }

    /// <summary>Every CR is followed by LF and every LF follows a CR.</summary>
    private static bool HasOnlyCrlf(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var crWithoutLf = bytes[i] == '\r' && (i + 1 == bytes.Length || bytes[i + 1] != '\n');
            var lfWithoutCr = bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r');
            if (crWithoutLf || lfWithoutCr)
            {
                return false;
            }
        }
        return true;
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
