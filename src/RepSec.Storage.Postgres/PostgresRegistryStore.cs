using System.Data;
using Npgsql;
using RepSec.Core.Registry;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

/// <summary>
/// The registry on PostgreSQL, for one node of several sharing the database. Reads are parameterized statements on
/// the pooled data source (auto-prepared per connection); writes go through this node's
/// <see cref="PostgresGroupCommitWriter"/>. When PostgreSQL is unreachable every call throws and nothing is
/// acknowledged; calls work again once it is back.
/// </summary>
public sealed partial class PostgresRegistryStore : IRegistryStore, IAsyncDisposable
{
    private const string FindSql = """
        SELECT e.value, e.owner, e.attributes, e.registered_at, e.log_index,
               l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf
        FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index
        WHERE e.type = $1 AND e.key = $2
        """;

    private const string HistorySql = """
        SELECT log_index, action, actor, at, secret, subject_commitment, actor_commitment, record_commitment
        FROM log_entries WHERE type = $1 AND key = $2 ORDER BY log_index
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresGroupCommitWriter _writer;

    public PostgresRegistryStore(PostgresDatabase database)
    {
        _dataSource = database.DataSource;
        _writer = new PostgresGroupCommitWriter(_dataSource);
        _reputation = new ReputationWriter(_dataSource);
        _reports = new GroupCommitQueue<QueuedReport, Core.Reputation.ReportOutcome>(StoreReportBatchAsync, QueuedReport.MaxBatch, QueuedReport.Together);
    }

    public async ValueTask<EntityRecord?> FindAsync(EntityType type, string key, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.ToWire() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new EntityRecord(type, key, reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt64(4), Committed(reader, 5));
    }

    public async ValueTask<IReadOnlyList<AuditEntry>> GetHistoryAsync(EntityType type, string key, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(HistorySql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.ToWire() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetFieldValue<byte[]>(4),
                new EntryCommitments(reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<byte[]>(6), NullableBytes(reader, 7))));
        }

        return entries;
    }

    public ValueTask<WriteOutcome> RegisterAsync(Registration registration, CancellationToken cancellationToken = default) =>
        StorableText.Check(registration.Key, registration.Value, registration.Owner, registration.AttributesJson, registration.Log.Actor) is { } invalid
            ? ValueTask.FromException<WriteOutcome>(invalid)
            : _writer.SubmitAsync(new PostgresGroupCommitWriter.RegisterOp(registration), cancellationToken);

    public ValueTask<WriteOutcome> RemoveAsync(Removal removal, CancellationToken cancellationToken = default) =>
        StorableText.Check(removal.Key, removal.RequiredOwner, removal.Log.Actor) is { } invalid
            ? ValueTask.FromException<WriteOutcome>(invalid)
            : _writer.SubmitAsync(new PostgresGroupCommitWriter.RemoveOp(removal), cancellationToken);

    /// <summary>Commits the queued writes and stops the writer; the database (and its pool) stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        await _reports.DisposeAsync();
        await _writer.DisposeAsync();
    }

    /// <summary>
    /// The registration's log entry from five columns starting at <paramref name="first"/> (secret, the three
    /// commitments, leaf); null when the entry or its secret is missing.
    /// </summary>
    internal static CommittedEntry? Committed(NpgsqlDataReader reader, int first) =>
        reader.IsDBNull(first) ? null : new CommittedEntry(reader.GetFieldValue<byte[]>(first),
            new EntryCommitments(reader.GetFieldValue<byte[]>(first + 1), reader.GetFieldValue<byte[]>(first + 2), NullableBytes(reader, first + 3)),
            reader.GetFieldValue<byte[]>(first + 4));

    internal static byte[]? NullableBytes(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);
}
