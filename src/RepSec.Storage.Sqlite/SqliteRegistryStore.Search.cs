using System.Text;
using Microsoft.Data.Sqlite;
using RepSec.Core.Registry;
using RepSec.Core.Transparency;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

public sealed partial class SqliteRegistryStore
{
    public ValueTask<IReadOnlyList<EntityRecord>> SearchAsync(RegistrySearch search, CancellationToken cancellationToken = default)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("""
            SELECT e.type, e.key, e.value, e.owner, e.attributes, e.registered_at, e.log_index,
                   l.secret, l.subject_commitment, l.actor_commitment, l.record_commitment, l.leaf
            FROM entities e LEFT JOIN log_entries l ON l.log_index = e.log_index WHERE
            """);
        AppendTerms(sql, command, search.Terms);
        var (columns, descending) = search.Order switch
        {
            SearchOrder.NameAscending => ("e.key, e.type", false),
            SearchOrder.NameDescending => ("e.key, e.type", true),
            SearchOrder.RegisteredAscending => ("e.registered_at, e.key, e.type", false),
            _ => ("e.registered_at, e.key, e.type", true),
        };
        if (search.After is { } after)
        {
            var registered = search.Order is SearchOrder.RegisteredAscending or SearchOrder.RegisteredDescending;
            sql.Append(registered ? " AND (e.registered_at, e.key, e.type) " : " AND (e.key, e.type) ")
                .Append(descending ? '<' : '>')
                .Append(registered ? " ($at, $key, $type)" : " ($key, $type)");
            command.Parameters.AddWithValue("$at", after.RegisteredAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$key", after.Key);
            command.Parameters.AddWithValue("$type", after.Type.ToWire());
        }

        var direction = descending ? " DESC" : "";
        sql.Append(" ORDER BY ").Append(string.Join(", ", columns.Split(", ").Select(c => c + direction))).Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Max(0, search.Limit));
        command.CommandText = sql.ToString();

        using var reader = command.ExecuteReader();
        var records = new List<EntityRecord>();
        while (reader.Read())
        {
            EntityTypes.TryParse(reader.GetString(0), out var type);
            records.Add(new EntityRecord(type, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetInt64(6), reader.IsDBNull(7) ? null : new CommittedEntry((byte[])reader[7],
                    new EntryCommitments((byte[])reader[8], (byte[])reader[9], reader.IsDBNull(10) ? null : (byte[])reader[10]), (byte[])reader[11])));
        }

        return ValueTask.FromResult<IReadOnlyList<EntityRecord>>(records);
    }

    public ValueTask<long> CountAsync(RegistrySearch search, CancellationToken cancellationToken = default)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT count(*) FROM entities e WHERE ");
        AppendTerms(sql, command, search.Terms);
        command.CommandText = sql.ToString();
        return ValueTask.FromResult((long)command.ExecuteScalar()!);
    }

    /// <summary>Each term becomes a range on the primary key, so a prefix search reads only the rows it returns.</summary>
    private static void AppendTerms(StringBuilder sql, SqliteCommand command, IReadOnlyList<SearchTerm> terms)
    {
        if (terms.Count == 0)
        {
            sql.Append("0");
            return;
        }

        sql.Append('(');
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            sql.Append(i > 0 ? " OR " : "").Append("(e.type = $t").Append(i);
            command.Parameters.AddWithValue($"$t{i}", term.Type.ToWire());
            if (term.IsPrefix)
            {
                sql.Append(" AND e.key >= $lo").Append(i).Append(" AND e.key < $hi").Append(i).Append(')');
                command.Parameters.AddWithValue($"$lo{i}", term.Text);
                command.Parameters.AddWithValue($"$hi{i}", RegistrySearch.UpperBound(term.Text));
            }
            else
            {
                sql.Append(" AND e.key = $lo").Append(i).Append(')');
                command.Parameters.AddWithValue($"$lo{i}", term.Text);
            }
        }

        sql.Append(')');
    }
}
