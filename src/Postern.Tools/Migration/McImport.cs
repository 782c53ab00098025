using System.Net;
using Postern.Config;
using Postern.Policy.Access;

namespace Postern.Tools.Migration;

/// <summary>
/// <c>postern config import-mc</c>: reads a sendmail.mc, writes the equivalent postern.toml (and a
/// checked copy of the access map), and reports every line it could not translate.
/// </summary>
public static class McImport
{
    public const string ConfigFileName = "postern.toml";
    public const string AccessFileName = "access";

    public static int Run(McImportOptions options, TextWriter output, TextWriter errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(options.McFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{options.McFile}: cannot read: {e.Message}");
            return ExitCodes.NoInput;
        }
        var settings = new McCollector(options.MapPath).Collect(text, options.McFile);

        if (options.AccessFile is { } accessFile && !AccessMapParses(accessFile, errors))
        {
            return ExitCodes.DataError;
        }
        var accessMap = AccessMapPath(options, settings);
        var toml = new McTranslator(settings, options, options.McFile).Translate(accessMap);

        // The translation must load; files are taken as present, since they may only exist on the mail server.
        var check = ConfigurationLoader.LoadFromText(toml, ConfigFileName,
            new ConfigurationInputs(null, Environment.CurrentDirectory, _ => null, Environment.CurrentDirectory, Dns.GetHostName())
            {
                FileExists = _ => true,
                DirectoryExists = _ => true,
            });

        if (options.OutDirectory is null)
        {
            output.Write(toml);
        }
        else if (!WriteOut(options, toml, errors))
        {
            return ExitCodes.CannotCreate;
        }
        foreach (var message in settings.Messages.OrderBy(m => m.File, StringComparer.Ordinal).ThenBy(m => m.Line))
        {
            errors.WriteLine(message.ToString());
        }
        var left = settings.Messages.Count(m => m.Kind == ImportMessageKind.NotTranslated);
        var warnings = settings.Messages.Count(m => m.Kind == ImportMessageKind.Warning);
        errors.WriteLine($"import-mc: {left} item(s) not translated, {warnings} warning(s), {settings.Messages.Count - left - warnings} note(s)");
        if (!check.Succeeded)
        {
            foreach (var error in check.Errors)
            {
                errors.WriteLine(error.ToString());
            }
            errors.WriteLine("import-mc: the generated configuration does not load; fix the keys above");
            return ExitCodes.DataError;
        }
        return ExitCodes.Ok;
    }

    private static bool AccessMapParses(string path, TextWriter errors)
    {
        try
        {
            AccessMapParser.Load(path);
            return true;
        }
        catch (AccessMapException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error);
            }
            errors.WriteLine($"import-mc: {path} does not parse as an access map; nothing written");
            return false;
        }
    }

    /// <summary>Where the written configuration finds the access map: the copy in --out, the --access file, or FEATURE(access_db)'s source.</summary>
    private static string? AccessMapPath(McImportOptions options, McSettings settings)
    {
        var feature = settings.Features.GetValueOrDefault("access_db");
        if (options.AccessFile is { } accessFile)
        {
            if (feature is null)
            {
                settings.Note(options.McFile, 0, $"{accessFile} used as policy.access_map although the .mc has no FEATURE(`access_db')");
            }
            return options.OutDirectory is null
                ? Path.GetFullPath(accessFile)
                : Path.GetFullPath(Path.Combine(options.OutDirectory, AccessFileName));
        }
        if (feature is null)
        {
            return null;
        }
        // FEATURE(`access_db', `hash -T<TMPF> -o /etc/mail/access'): the last word names the database.
        var words = feature.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var database = words.Length > 0 && words[^1].StartsWith('/') ? words[^1] : "/etc/mail/access";
        var source = database.EndsWith(".db", StringComparison.Ordinal) ? database[..^3] : database;
        settings.Note(feature.File, feature.Line, $"FEATURE(`access_db') -> policy.access_map = {source} (the text file, not the .db); pass --access {source} to check and copy it");
        return options.MapPath(source);
    }

    private static bool WriteOut(McImportOptions options, string toml, TextWriter errors)
    {
        var directory = options.OutDirectory!;
        var target = Path.Combine(directory, ConfigFileName);
        try
        {
            Directory.CreateDirectory(directory);
            if (File.Exists(target))
            {
                errors.WriteLine($"{target}: already exists; remove it or choose another --out");
                return false;
            }
            File.WriteAllText(target, toml);
            if (options.AccessFile is { } accessFile)
            {
                File.Copy(accessFile, Path.Combine(directory, AccessFileName), overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{directory}: cannot write: {e.Message}");
            return false;
        }
        errors.WriteLine($"import-mc: wrote {target}{(options.AccessFile is null ? "" : " and " + Path.Combine(directory, AccessFileName))}");
        return true;
    }
}
