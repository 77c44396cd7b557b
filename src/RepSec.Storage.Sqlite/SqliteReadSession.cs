using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using RepSec.Core.Registry;
using RepSec.Core.Reputation;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// A read connection with its statements prepared once. The load of every entity into the in-memory index runs on
/// the raw SQLite statement: stepping and reading columns without the ADO.NET reader objects around them.
/// </summary>
internal sealed partial class SqliteReadSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _history;

    public SqliteReadSession(SqliteConnection connection)
    {
        _connection = connection;
        _history = connection.CreateCommand();
        _history.CommandText = """
            SELECT log_index, action, actor, at, secret, subject_commitment, actor_commitment, record_commitment
            FROM log_entries WHERE log_index IN (SELECT value FROM json_each($ids)) AND type = $type AND key = $key
            ORDER BY log_index
            """;
        _history.Parameters.Add("$ids", SqliteType.Text);
        _history.Parameters.Add("$type", SqliteType.Text);
        _history.Parameters.Add("$key", SqliteType.Text);
        _history.Prepare();
    }

    /// <summary>
    /// A registration's log entry from the five columns from <paramref name="first"/> on (secret, subject, actor and
    /// record commitments, leaf); null when the entry or its secret is missing.
    /// </summary>
    private static CommittedEntry? Committed(sqlite3_stmt statement, int first)
    {
        if (raw.sqlite3_column_type(statement, first) == raw.SQLITE_NULL)
        {
            return null;
        }

        return new CommittedEntry(
            raw.sqlite3_column_blob(statement, first), raw.sqlite3_column_blob(statement, first + 1), raw.sqlite3_column_blob(statement, first + 2),
            raw.sqlite3_column_blob(statement, first + 3), raw.sqlite3_column_type(statement, first + 3) == raw.SQLITE_NULL,
            raw.sqlite3_column_blob(statement, first + 4));
    }

    private const string EntryColumns = "l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf";

    /// <summary>How many entity rows there are (to size the index before the load), and their first and last log index.</summary>
    public (int Count, long First, long Last) EntityRows()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*), COALESCE(min(log_index), 0), COALESCE(max(log_index), 0) FROM entities";
        using var reader = command.ExecuteReader();
        reader.Read();
        return ((int)Math.Min(int.MaxValue, reader.GetInt64(0)), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// The registered entities whose registration's log index is in [<paramref name="from"/>, <paramref name="to"/>),
    /// for <see cref="EntityIndex"/>, without their log entries (<see cref="CheckRecords"/> reads those after the load);
    /// notes each row's log index in <paramref name="rows"/>.
    /// </summary>
    public void LoadAll(EntityIndex index, long from, long to, LogIndexBits rows)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, """
            SELECT e.value, e.owner, e.attributes, e.registered_at, e.log_index, e.type, e.key
            FROM entities e WHERE e.log_index >= ?1 AND e.log_index < ?2 ORDER BY e.log_index
            """, out var all));
        using (all)
        {
            Check(raw.sqlite3_bind_int64(all, 1, from));
            Check(raw.sqlite3_bind_int64(all, 2, to));
            // Owners are few: one string each, not one per entity; a value equal to its key (most) is the key's string.
            var owners = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            int step;
            while ((step = raw.sqlite3_step(all)) == raw.SQLITE_ROW)
            {
                if (!EntityTypes.TryParse(raw.sqlite3_column_blob(all, 5), out var type))
                {
                    continue; // not a type this server knows: log verify names it
                }

                rows.Add(raw.sqlite3_column_int64(all, 4));
                var keyBytes = raw.sqlite3_column_blob(all, 6);
                var key = Encoding.UTF8.GetString(keyBytes);
                var valueBytes = raw.sqlite3_column_blob(all, 0);
                var value = valueBytes.SequenceEqual(keyBytes) ? key : Encoding.UTF8.GetString(valueBytes);
                var shared = Shared(owners, raw.sqlite3_column_blob(all, 1));
                index.Set(new EntityRecord(type, key, value, shared,
                    raw.sqlite3_column_type(all, 2) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(all, 2).utf8_to_string(),
                    DateTimeOffset.FromUnixTimeMilliseconds(raw.sqlite3_column_int64(all, 3)),
                    raw.sqlite3_column_int64(all, 4),
                    Committed: null));
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
        }
    }

    /// <summary>The one string held for an owner's name, made the first time the name is read.</summary>
    private static string Shared(Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> owners, ReadOnlySpan<byte> utf8)
    {
        var chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (!owners.TryGetValue(chars, out var shared))
        {
            shared = new string(chars);
            owners[shared] = shared;
        }

        return shared;
    }

    /// <summary>
    /// Checks each record held in <paramref name="index"/> whose registration's log index is in
    /// [<paramref name="from"/>, <paramref name="to"/>) against that log entry (<see cref="EntityIndex.Settle"/>): how
    /// many records were checked and how many do not match.
    /// </summary>
    public (int Checked, int Mismatched) CheckRecords(EntityIndex index, long from, long to, CancellationToken cancellationToken)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, $"""
            SELECT e.type, e.key, e.log_index, {EntryColumns}
            FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index
            WHERE e.log_index >= ?1 AND e.log_index < ?2 ORDER BY e.log_index
            """, out var rows));
        using (rows)
        {
            Check(raw.sqlite3_bind_int64(rows, 1, from));
            Check(raw.sqlite3_bind_int64(rows, 2, to));
            var (checkedCount, mismatched) = (0, 0);
            int step;
            while ((step = raw.sqlite3_step(rows)) == raw.SQLITE_ROW)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (EntityTypes.TryParse(raw.sqlite3_column_blob(rows, 0), out var type)
                    && index.Settle(type, raw.sqlite3_column_text(rows, 1).utf8_to_string(), raw.sqlite3_column_int64(rows, 2), Committed(rows, 3)) is { } matches)
                {
                    checkedCount++;
                    mismatched += matches ? 0 : 1;
                }
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }

            return (checkedCount, mismatched);
        }
    }

    /// <summary>The registration's log entry at <paramref name="logIndex"/>; null when the log has none.</summary>
    public CommittedEntry? Entry(long logIndex)
    {
        _entry ??= NewStatement($"SELECT {EntryColumns} FROM log_entries l WHERE l.log_index = ?1");
        try
        {
            Check(raw.sqlite3_bind_int64(_entry, 1, logIndex));
            var step = raw.sqlite3_step(_entry);
            if (step == raw.SQLITE_ROW)
            {
                return Committed(_entry, 0);
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }

            return null;
        }
        finally
        {
            raw.sqlite3_reset(_entry);
        }
    }

    private sqlite3_stmt? _entry;

    private sqlite3_stmt NewStatement(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement));
        return statement;
    }

    /// <summary>
    /// Notes in <see cref="EntityIndex"/> every log entry that still names an entity, after the entities are loaded:
    /// all but the registrations of the entities registered now (<paramref name="registrations"/>, the entity rows'
    /// entries), which their records name.
    /// </summary>
    public void LoadEntries(EntityIndex index, LogIndexBits registrations)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, """
            SELECT l.type, l.key, l.log_index FROM log_entries l WHERE l.type IS NOT NULL AND l.type <> 'principal' ORDER BY l.log_index
            """, out var all));
        using (all)
        {
            int step;
            while ((step = raw.sqlite3_step(all)) == raw.SQLITE_ROW)
            {
                if (!registrations.Contains(raw.sqlite3_column_int64(all, 2)) && EntityTypes.TryParse(raw.sqlite3_column_text(all, 0).utf8_to_string(), out var type))
                {
                    index.AddEntry(type, raw.sqlite3_column_text(all, 1).utf8_to_string(), raw.sqlite3_column_int64(all, 2));
                }
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
        }
    }

    /// <summary>Loads every entity's aggregates and allowlist entry, and the norms, into <see cref="EntityIndex"/>.</summary>
    public void LoadReputation(EntityIndex index)
    {
        foreach (var (type, key, assertion, aggregate) in ReadAll("SELECT type, key, assertion, count, weight, rated, at FROM reputation_aggregates",
            reader => (reader.GetString(0), reader.GetString(1), reader.GetString(2), Aggregate(reader, 3))))
        {
            if (EntityTypes.TryParse(type, out var entityType))
            {
                index.SetAggregate(entityType, key, assertion, aggregate);
            }
        }

        foreach (var (type, key, entry) in ReadAll("SELECT type, key, reason, added_by, added_at FROM allowlist",
            reader => (reader.GetString(0), reader.GetString(1), new AllowlistEntry(reader.GetString(2), reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))))))
        {
            if (EntityTypes.TryParse(type, out var entityType))
            {
                index.SetAllowlisted(entityType, key, entry);
            }
        }

        foreach (var (assertion, norm) in ReadAll("SELECT assertion, count, weight, rated, at FROM reputation_norms", reader => (reader.GetString(0), Aggregate(reader, 1))))
        {
            index.SetNorm(assertion, norm);
        }
    }

    private List<T> ReadAll<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The entries among <paramref name="indices"/> that still name the entity (retention clears the name of old ones).</summary>
    public IReadOnlyList<AuditEntry> History(EntityType type, string key, IReadOnlyList<long> indices)
    {
        if (indices.Count == 0)
        {
            return [];
        }

        _history.Parameters[0].Value = new StringBuilder("[").AppendJoin(',', indices).Append(']').ToString();
        _history.Parameters[1].Value = type.ToWire();
        _history.Parameters[2].Value = key;
        using var reader = _history.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), (byte[])reader[4],
                new EntryCommitments((byte[])reader[5], (byte[])reader[6], reader.IsDBNull(7) ? null : (byte[])reader[7])));
        }

        return entries;
    }

    public void Dispose()
    {
        DisposeLogStatements();
        DisposeReputationStatements();
        _history.Dispose();
        _entry?.Dispose();
        _connection.Dispose();
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), result);
        }
    }
}
