namespace Postern.Hosting;

/// <summary>
/// What <c>/healthz</c> reports: healthy while every SMTP listener accepts and the spool takes a
/// file (a full or read-only disk would make every DATA fail with 452).
/// </summary>
internal sealed class HealthCheck(Func<bool> listening, string spoolDirectory)
{
    /// <summary>Null when healthy, else what is wrong, in one line.</summary>
    public string? Problem()
    {
        if (!listening())
        {
            return "SMTP listeners are not accepting";
        }
        // tmp/ is where messages start; recovery empties it, so a probe left by a crash goes too.
        var probe = Path.Combine(spoolDirectory, "tmp", ".healthz-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            file.WriteByte(0);
            file.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "spool is not writable: " + e.Message;
        }
        return null;
    }
}
