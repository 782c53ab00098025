using Postern.Fuzz;
using Postern.Fuzz.Seeds;
using SharpFuzz;

// postern-fuzz TARGET                 run under AFL++ (fuzz/run starts it; input on stdin without AFL)
// postern-fuzz list                   the targets, one per line: NAME<TAB>what it drives
// postern-fuzz replay TARGET PATH...  run files (or every file in folders) through TARGET, in-process
// postern-fuzz seed REPO              (re)write REPO/fuzz/corpus from the dialog scripts and samples
return args switch
{
    ["list"] => List(),
    ["replay", var name, .. var paths] when paths.Length > 0 => Replay(name, paths),
    ["seed", var repository] => SeedCorpus.Write(repository, Console.Out),
    [var name] when FuzzTargets.Find(name) is { } target => Fuzz(target),
    _ => Usage(),
};

static int Fuzz(FuzzTarget target)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target.Run(input.ToArray());
    });
    return 0;
}

static int List()
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine(target.Name + "\t" + target.Summary);
    }
    return 0;
}

static int Replay(string name, string[] paths)
{
    if (FuzzTargets.Find(name) is not { } target)
    {
        return Usage();
    }
    var failures = 0;
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        try
        {
            target.Run(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures++;
            Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(e.StackTrace);
        }
    }
    Console.WriteLine($"{name}: {files.Count} inputs, {failures} failed");
    return failures == 0 ? 0 : 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: postern-fuzz TARGET | list | replay TARGET PATH... | seed REPOSITORY");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)));
    return 64;
}
