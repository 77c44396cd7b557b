using System.Buffers;
using RepSec.Protocol.Framing;
using RepSec.Protocol.Parsing;

namespace RepSec.Fuzz.Tests;

/// <summary>The seed corpus in fuzz/corpus, replayed through the fuzz targets without AFL.</summary>
public sealed class CorpusTests
{
    private static readonly string CorpusRoot = FindCorpus();

    public static TheoryData<string, string> Seeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var directory in Directory.EnumerateDirectories(CorpusRoot).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(directory), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_keeps_every_invariant_of_its_target(string target, string seed)
    {
        Assert.True(FuzzTargets.All.TryGetValue(target, out var run), $"fuzz/corpus/{target} names no fuzz target");

        run(File.ReadAllBytes(Path.Combine(CorpusRoot, target, seed)));
    }

    [Fact]
    public void Every_target_has_seeds()
    {
        foreach (var target in FuzzTargets.All.Keys)
        {
            var directory = Path.Combine(CorpusRoot, target);
            Assert.True(Directory.Exists(directory) && Directory.EnumerateFiles(directory).Count() >= 5, $"fuzz/corpus/{target} has fewer than 5 seeds");
        }
    }

    [Fact]
    public void Request_seeds_hold_an_accepted_line_for_every_command()
    {
        var commands = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var request = new Request();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CorpusRoot, "request")))
        {
            var buffer = new ReadOnlySequence<byte>(File.ReadAllBytes(file));
            while (LineFramer.TryReadLine(ref buffer, ParserLimits.Default.MaxLineBytes, out var line) == FrameStatus.Line)
            {
                if (RequestParser.Parse(line.ToArray(), request, ParserLimits.Default) is null && request.HasCommand)
                {
                    commands.Add(request.Command.ToString());
                }
            }
        }

        string[] expected = ["PING", "HELLO", "REGISTER", "VERIFY", "REMOVE", "AUDIT", "CHECKPOINT", "INCLUSION_PROOF", "CONSISTENCY_PROOF"];
        Assert.Subset(commands, expected.ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    private static string FindCorpus()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "fuzz", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no fuzz/corpus above {AppContext.BaseDirectory}");
    }
}
