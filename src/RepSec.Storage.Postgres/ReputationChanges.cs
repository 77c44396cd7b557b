using Npgsql;
using RepSec.Core.Reputation;

namespace RepSec.Storage.Postgres;

/// <summary>A counted report as the aggregates see it: its entity, assertion, rating, weight and when it was made.</summary>
internal readonly record struct CountedReport(string Type, string Key, string Value, string Assertion, double Rating, double Weight, DateTimeOffset MadeAt);

/// <summary>
/// What one reputation write does to the aggregates and the change feed. The aggregate rows it will change are read
/// once (under the log lock, so they cannot change before the commit), every report added or taken out is applied
/// to them in memory with <see cref="ReputationAggregate"/>, and the rows it changed are written back with the
/// entities it touched moved to the end of the feed, in the write's one round trip.
/// </summary>
internal sealed class ReputationChanges(double halfLifeDays)
{
    private const string ReadEntitiesSql = """
        SELECT a.type, a.key, a.assertion, a.count, a.weight, a.rated, a.at FROM reputation_aggregates a
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(type, key, assertion)
          ON a.type = k.type AND a.key = k.key AND a.assertion = k.assertion
        """;

    private const string ReadNormsSql = "SELECT assertion, count, weight, rated, at FROM reputation_norms WHERE assertion = ANY($1)";

    private const string WriteEntitiesSql = """
        INSERT INTO reputation_aggregates (type, key, assertion, count, weight, rated, at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::float8[], $6::float8[], $7::bigint[])
        ON CONFLICT (type, key, assertion) DO UPDATE
        SET count = excluded.count, weight = excluded.weight, rated = excluded.rated, at = excluded.at
        """;

    private const string DeleteEntitiesSql = """
        DELETE FROM reputation_aggregates a USING unnest($1::text[], $2::text[], $3::text[]) AS k(type, key, assertion)
        WHERE a.type = k.type AND a.key = k.key AND a.assertion = k.assertion
        """;

    private const string WriteNormsSql = """
        INSERT INTO reputation_norms (assertion, count, weight, rated, at)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::bigint[])
        ON CONFLICT (assertion) DO UPDATE
        SET count = excluded.count, weight = excluded.weight, rated = excluded.rated, at = excluded.at
        """;

    // The new sequence numbers follow the largest committed one; the log lock makes that this write's to take.
    private const string MoveToEndSql = """
        INSERT INTO reputation_changes (type, key, value, seq, changed_at)
        SELECT c.type, c.key, c.value, (SELECT coalesce(max(seq), 0) FROM reputation_changes) + c.n, $4
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(type, key, value, n)
        ON CONFLICT (type, key) DO UPDATE SET value = excluded.value, seq = excluded.seq, changed_at = excluded.changed_at
        """;

    private readonly Dictionary<(string Type, string Key, string Assertion), ReputationAggregate> _entities = [];
    private readonly Dictionary<string, ReputationAggregate> _norms = new(StringComparer.Ordinal);
    private readonly HashSet<(string Type, string Key, string Assertion)> _changedEntities = [];
    private readonly HashSet<string> _changedNorms = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Key), string> _touched = [];

    /// <summary>Reads the aggregates these reports count in (the entities' and their assertions' norms).</summary>
    public async Task ReadAsync(NpgsqlConnection connection, IEnumerable<CountedReport> reports, CancellationToken cancellationToken)
    {
        foreach (var report in reports)
        {
            _entities.TryAdd((report.Type, report.Key, report.Assertion), ReputationAggregate.Empty);
            _norms.TryAdd(report.Assertion, ReputationAggregate.Empty);
        }

        if (_entities.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        var entities = new NpgsqlBatchCommand(ReadEntitiesSql);
        entities.Parameters.Add(Array(_entities.Keys.Select(k => k.Type)));
        entities.Parameters.Add(Array(_entities.Keys.Select(k => k.Key)));
        entities.Parameters.Add(Array(_entities.Keys.Select(k => k.Assertion)));
        batch.BatchCommands.Add(entities);
        var norms = new NpgsqlBatchCommand(ReadNormsSql);
        norms.Parameters.Add(Array(_norms.Keys));
        batch.BatchCommands.Add(norms);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _entities[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = Aggregate(reader, 3);
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _norms[reader.GetString(0)] = Aggregate(reader, 1);
        }
    }

    /// <summary>Counts the report, with <paramref name="weight"/>, as of <paramref name="now"/>.</summary>
    public void Add(CountedReport report, double weight, DateTimeOffset now) => Shift(report, weight, now, add: true);

    /// <summary>Takes the report's current share, as counted with <paramref name="weight"/>, back out as of <paramref name="now"/>.</summary>
    public void Remove(CountedReport report, double weight, DateTimeOffset now) => Shift(report, weight, now, add: false);

    /// <summary>Moves the entity to the end of the change feed (once, however often it is touched).</summary>
    public void Touch(string type, string key, string value) => _touched[(type, key)] = value;

    /// <summary>Adds the statements that write the changed aggregates and move the touched entities in the feed.</summary>
    public void AddTo(NpgsqlBatch batch, DateTimeOffset changedAt)
    {
        // An entity's aggregate that counts nothing is deleted, so the table holds only entities with counted reports.
        var rows = _changedEntities.Select(k => (Key: k, Aggregate: _entities[k])).ToLookup(r => r.Aggregate.Count > 0);
        if (rows[true].Any())
        {
            var write = new NpgsqlBatchCommand(WriteEntitiesSql);
            write.Parameters.Add(Array(rows[true].Select(r => r.Key.Type)));
            write.Parameters.Add(Array(rows[true].Select(r => r.Key.Key)));
            write.Parameters.Add(Array(rows[true].Select(r => r.Key.Assertion)));
            AddColumns(write, [.. rows[true].Select(r => r.Aggregate)]);
            batch.BatchCommands.Add(write);
        }

        if (rows[false].Any())
        {
            var delete = new NpgsqlBatchCommand(DeleteEntitiesSql);
            delete.Parameters.Add(Array(rows[false].Select(r => r.Key.Type)));
            delete.Parameters.Add(Array(rows[false].Select(r => r.Key.Key)));
            delete.Parameters.Add(Array(rows[false].Select(r => r.Key.Assertion)));
            batch.BatchCommands.Add(delete);
        }

        if (_changedNorms.Count > 0)
        {
            var norms = _changedNorms.Select(a => (Assertion: a, Aggregate: _norms[a])).ToList();
            var write = new NpgsqlBatchCommand(WriteNormsSql);
            write.Parameters.Add(Array(norms.Select(r => r.Assertion)));
            AddColumns(write, [.. norms.Select(r => r.Aggregate)]);
            batch.BatchCommands.Add(write);
        }

        if (_touched.Count > 0)
        {
            // Sorted, so one write's sequence numbers follow the same order however the entities were touched.
            var touched = _touched.OrderBy(t => t.Key.Type, StringComparer.Ordinal).ThenBy(t => t.Key.Key, StringComparer.Ordinal).ToList();
            var move = new NpgsqlBatchCommand(MoveToEndSql);
            move.Parameters.Add(Array(touched.Select(t => t.Key.Type)));
            move.Parameters.Add(Array(touched.Select(t => t.Key.Key)));
            move.Parameters.Add(Array(touched.Select(t => t.Value)));
            move.Parameters.Add(new NpgsqlParameter<long> { TypedValue = changedAt.ToUnixTimeMilliseconds() });
            batch.BatchCommands.Add(move);
        }
    }

    /// <summary>An aggregate from four columns starting at <paramref name="first"/>: count, weight, rated, at.</summary>
    public static ReputationAggregate Aggregate(NpgsqlDataReader reader, int first) =>
        new(reader.GetInt64(first), reader.GetDouble(first + 1), reader.GetDouble(first + 2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 3)));

    /// <summary>The time as the tables keep it (unix milliseconds), so what is computed is what is read back.</summary>
    public static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private void Shift(CountedReport report, double weight, DateTimeOffset now, bool add)
    {
        now = Millis(now);
        report = report with { MadeAt = Millis(report.MadeAt) };
        var key = (report.Type, report.Key, report.Assertion);
        if (!_entities.TryGetValue(key, out var entity) || !_norms.TryGetValue(report.Assertion, out var norm))
        {
            throw new InvalidOperationException("the report's aggregates were not read before changing them");
        }

        _entities[key] = add
            ? entity.Add(weight, report.Rating, report.MadeAt, now, halfLifeDays)
            : entity.Remove(weight, report.Rating, report.MadeAt, now, halfLifeDays);
        _norms[report.Assertion] = add
            ? norm.Add(weight, report.Rating, report.MadeAt, now, halfLifeDays)
            : norm.Remove(weight, report.Rating, report.MadeAt, now, halfLifeDays);
        _changedEntities.Add(key);
        _changedNorms.Add(report.Assertion);
        Touch(report.Type, report.Key, report.Value);
    }

    private static void AddColumns(NpgsqlBatchCommand write, List<ReputationAggregate> aggregates)
    {
        write.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. aggregates.Select(a => a.Count)] });
        write.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. aggregates.Select(a => a.Weight)] });
        write.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. aggregates.Select(a => a.Rated)] });
        write.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. aggregates.Select(a => a.At.ToUnixTimeMilliseconds())] });
    }

    private static NpgsqlParameter<string[]> Array(IEnumerable<string> values) => new() { TypedValue = [.. values] };
}
