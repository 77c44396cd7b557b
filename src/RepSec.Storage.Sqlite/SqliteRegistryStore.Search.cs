using RepSec.Core.Registry;

namespace RepSec.Storage.Sqlite;

public sealed partial class SqliteRegistryStore
{
    /// <summary>Searches the in-memory index: the database holds no index by name (SqliteSchema, migration 5).</summary>
    public ValueTask<IReadOnlyList<EntityRecord>> SearchAsync(RegistrySearch search, CancellationToken cancellationToken = default)
    {
        var page = _index.Search(search);
        foreach (var record in page)
        {
            Settled(record);
        }

        return ValueTask.FromResult(page);
    }

    public ValueTask<long> CountAsync(RegistrySearch search, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_index.CountMatches(search));
}
