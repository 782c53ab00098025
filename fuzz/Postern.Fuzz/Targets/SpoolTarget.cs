using Postern.Queue.Storage;

namespace Postern.Fuzz.Targets;

/// <summary>
/// A spool file as the queue and the maildrop pickup read it (the maildrop's come from local
/// users, so untrusted), and the same bytes as a recipient journal. A bad file is a
/// <see cref="SpoolFormatException"/>; a good one has a body that lies inside the file, ends
/// where the trailer says, and reads back whole; a journal skips what it cannot parse.
/// </summary>
internal static class SpoolTarget
{
    public static void Run(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"postern-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}.msg");
        try
        {
            File.WriteAllBytes(path, input);
            ReadMessage(path, input);
            var entries = RecipientJournal.Read(path, out var skipped);
            var lines = input.AsSpan().Count((byte)'\n');
            FuzzInvariantException.Require(entries.Count + skipped <= lines, "a journal has at most one entry per complete line");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void ReadMessage(string path, byte[] input)
    {
        SpoolHeader header;
        try
        {
            header = SpoolFormat.Read(path);
        }
        catch (SpoolFormatException)
        {
            return;
        }
        FuzzInvariantException.Require(header.BodyOffset > 0 && header.BodyLength >= 0 && header.BodyOffset + header.BodyLength <= input.Length, "the body lies inside the file");
        FuzzInvariantException.Require(header.Envelope.Recipients.Count > 0, "a valid spool file has recipients");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
        using var body = new BoundedReadStream(file, header.BodyOffset, header.BodyLength);
        using var copy = new MemoryStream();
        body.CopyTo(copy);
        FuzzInvariantException.Require(copy.ToArray().AsSpan().SequenceEqual(input.AsSpan((int)header.BodyOffset, (int)header.BodyLength)), "the body reads back as it lies in the file");
    }
}
