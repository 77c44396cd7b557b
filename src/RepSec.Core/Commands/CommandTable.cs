using System.Collections.Frozen;

namespace RepSec.Core.Commands;

/// <summary>
/// The commands this server accepts: the minimum set plus those of advertised extensions, looked up
/// case-insensitively without allocating.
/// </summary>
public sealed class CommandTable
{
    private readonly FrozenDictionary<string, RepSecCommand>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public CommandTable(IEnumerable<RepSecCommand> commands, IEnumerable<IRepSecExtension> extensions)
    {
        CoreCommands = [.. commands];
        Extensions = [.. extensions.Where(e => e.Enabled)];
        var all = CoreCommands.Concat(Extensions.SelectMany(e => e.Commands)).ToList();
        var byName = all.ToFrozenDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        _lookup = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        CoreNames = [.. CoreCommands.Select(c => c.Name)];
    }

    public IReadOnlyList<RepSecCommand> CoreCommands { get; }

    public IReadOnlyList<string> CoreNames { get; }

    public IReadOnlyList<IRepSecExtension> Extensions { get; }

    public bool TryGet(ReadOnlySpan<char> name, out RepSecCommand command) => _lookup.TryGetValue(name, out command!);
}
