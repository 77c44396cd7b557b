using System.CommandLine;

namespace RepSec.Server.Tests.Admin;

/// <summary>Every repsecd command that opens the store takes the same flags as <c>serve</c>, so it reaches the same store.</summary>
public sealed class StoreFlagsTests
{
    private static readonly string[] StoreFlagNames = ["--config", "--data", "--store", "--postgres", "--redis"];

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var path in Leaves(Program.BuildCommand(), ""))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_takes_the_store_flags_of_serve(string path)
    {
        var command = Find(Program.BuildCommand(), path);

        var names = command.Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(StoreFlagNames, flag => Assert.Contains(flag, names));
    }

    [Fact]
    public void The_tree_has_the_operator_commands_and_serve()
    {
        var paths = Leaves(Program.BuildCommand(), "").ToList();

        Assert.Contains("", paths);
        Assert.Contains("serve", paths);
        Assert.Contains("token issue", paths);
        Assert.Contains("log verify", paths);
        Assert.True(paths.Count >= 12, string.Join(", ", paths));
    }

    private static IEnumerable<string> Leaves(Command command, string path)
    {
        if (command.Action is not null)
        {
            yield return path;
        }

        foreach (var child in command.Subcommands)
        {
            foreach (var leaf in Leaves(child, path.Length == 0 ? child.Name : $"{path} {child.Name}"))
            {
                yield return leaf;
            }
        }
    }

    private static Command Find(Command root, string path) =>
        path.Length == 0 ? root : path.Split(' ').Aggregate(root, (command, name) => command.Subcommands.Single(c => c.Name == name));
}
