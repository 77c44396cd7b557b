using Microsoft.Data.Sqlite;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// Copies committed WAL pages into the database file on a thread and connection of its own, with a PASSIVE checkpoint
/// every 50 ms, so that the group-commit writer (the serial part of every write) seldom does. SQLite's own checkpoint
/// on the writer's connection stays as the bound on the WAL, raised to <see cref="WriterCheckpointPages"/> pages: under
/// sustained writes the WAL restarts only when a checkpoint has caught up between two commits, so it can still reach
/// that bound, and the writer's checkpoint then copies only the pages this thread has not. A PASSIVE checkpoint never
/// blocks the writer or a reader, and an interrupted one leaves the WAL authoritative, so a crash here loses nothing.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    public const int WriterCheckpointPages = 10_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly SqliteConnection _connection;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public SqliteCheckpointer(SqliteDatabase database)
    {
        _connection = database.Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "repsec-sqlite-checkpoint" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(Interval))
        {
            try
            {
                SqliteDatabase.Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException)
            {
                // Nothing is lost: the pages stay in the WAL, and the writer's own checkpoint still bounds it.
            }
        }
    }
}
