using Postern.Fuzz;
using Postern.Testing;

namespace Postern.Tests.Fuzz;

/// <summary>
/// Every file of the committed fuzzing corpus (fuzz/corpus, seeds and what AFL++ runs added)
/// through every fuzzing target, in-process: the targets' invariants hold for all of them, so a
/// change that breaks one fails here without AFL++.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    private static readonly string Corpus = Repository.PathOf("fuzz", "corpus");

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_file_keeps_the_targets_invariants(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var files = Directory.EnumerateFiles(Corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Every failure is collected and reported with its file.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{Path.GetRelativePath(Corpus, file)}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.True(files.Count > 100, "the corpus is there");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_target_has_seeds_and_every_corpus_folder_a_target()
    {
        var folders = Directory.GetDirectories(Corpus).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
        Assert.All(folders, folder => Assert.NotEmpty(Directory.GetFiles(Path.Combine(Corpus, folder!))));
    }
}
