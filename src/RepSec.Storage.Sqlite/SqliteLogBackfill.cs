using Microsoft.Data.Sqlite;
using RepSec.Core.Transparency;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// Schema 3: moves the history of a database made before the transparency log into it, oldest first, each entry
/// with a fresh secret and its commitments (a registration's record commitment covers the digest it was stored
/// with, so VERIFY keeps its answer), then drops the old table.
/// </summary>
internal static class SqliteLogBackfill
{
    public static void FromAuditLog(SqliteConnection connection, SqliteTransaction transaction)
    {
        var entries = new List<LogEntryDraft>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT log_index, type, key, action, actor, at, digest FROM audit_log ORDER BY log_index";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetInt64(0) != entries.Count)
                {
                    throw new InvalidOperationException($"audit_log has a gap before index {reader.GetInt64(0)}; it cannot become a log");
                }

                entries.Add(LogEntryDraft.Create(reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    reader.GetString(1), reader.GetString(2), reader.GetString(4), reader.IsDBNull(6) ? null : (byte[])reader[6]));
            }
        }

        using var log = new SqliteLogWriter(connection);
        log.Enlist(transaction);
        log.Begin();
        foreach (var entry in entries)
        {
            log.Append(entry);
        }

        using var drop = connection.CreateCommand();
        drop.Transaction = transaction;
        drop.CommandText = "DROP TABLE audit_log;";
        drop.ExecuteNonQuery();
    }
}
