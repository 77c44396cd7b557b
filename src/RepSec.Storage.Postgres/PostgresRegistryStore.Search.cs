using System.Text;
using Npgsql;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Postgres;

public sealed partial class PostgresRegistryStore
{
    public async ValueTask<IReadOnlyList<EntityRecord>> SearchAsync(RegistrySearch search, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand();
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
            sql.Append(" AND (").Append(columns).Append(") ").Append(descending ? '<' : '>').Append(" (");
            if (registered)
            {
                sql.Append(Parameter(command, after.RegisteredAt.ToUnixTimeMilliseconds())).Append(", ");
            }

            sql.Append(Parameter(command, after.Key)).Append(", ").Append(Parameter(command, after.Type.ToWire())).Append(')');
        }

        var direction = descending ? " DESC" : "";
        sql.Append(" ORDER BY ").Append(string.Join(", ", columns.Split(", ").Select(c => c + direction)))
            .Append(" LIMIT ").Append(Parameter(command, Math.Max(0, search.Limit)));
        command.CommandText = sql.ToString();

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<EntityRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            EntityTypes.TryParse(reader.GetString(0), out var type);
            records.Add(new EntityRecord(type, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetInt64(6), Committed(reader, 7)));
        }

        return records;
    }

    public async ValueTask<long> CountAsync(RegistrySearch search, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand();
        var sql = new StringBuilder("SELECT count(*) FROM entities e WHERE ");
        AppendTerms(sql, command, search.Terms);
        command.CommandText = sql.ToString();
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Each term becomes a range on the primary key, so a prefix search reads only the rows it returns.</summary>
    private static void AppendTerms(StringBuilder sql, NpgsqlCommand command, IReadOnlyList<SearchTerm> terms)
    {
        if (terms.Count == 0)
        {
            sql.Append("false");
            return;
        }

        sql.Append('(');
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            sql.Append(i > 0 ? " OR " : "").Append("(e.type = ").Append(Parameter(command, term.Type.ToWire()));
            if (term.IsPrefix)
            {
                sql.Append(" AND e.key >= ").Append(Parameter(command, term.Text))
                    .Append(" AND e.key < ").Append(Parameter(command, RegistrySearch.UpperBound(term.Text))).Append(')');
            }
            else
            {
                sql.Append(" AND e.key = ").Append(Parameter(command, term.Text)).Append(')');
            }
        }

        sql.Append(')');
    }

    /// <summary>Adds a positional parameter and returns its placeholder: the SQL only ever holds <c>$n</c>.</summary>
    private static string Parameter<T>(NpgsqlCommand command, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
