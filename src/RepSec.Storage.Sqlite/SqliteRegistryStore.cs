using System.Diagnostics;
using RepSec.Core;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The registry on SQLite. Entity lookups read the in-memory <see cref="EntityIndex"/>, loaded once here; other
/// reads run on pooled connections with prepared statements; writes go through the single
/// <see cref="SqliteGroupCommitWriter"/>, which keeps the index current.
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryStore, IAsyncDisposable
{

    private readonly SqliteDatabase _database;
    private readonly SqliteGroupCommitWriter _writer;
    // Idle read sessions in slots taken and returned with one interlocked operation each (no lock on the read path).
    private readonly SqliteReadSession?[] _readers = new SqliteReadSession?[Math.Max(8, Environment.ProcessorCount * 4)];

    private readonly EntityIndex _index = new();

    public SqliteRegistryStore(SqliteDatabase database)
    {
        _database = database;
        _writer = new SqliteGroupCommitWriter(database, _index);
        var started = Stopwatch.GetTimestamp();
        var session = Rent();
        try
        {
            var (count, first, last) = session.EntityRows();
            _index.BeginLoad(count);
            var registrations = new LogIndexBits(last);
            LoadInParallel(first, last, registrations);
            _index.EndLoad();
            session.LoadEntries(_index, registrations);
            session.LoadReputation(_index);
        }
        finally
        {
            Return(session);
        }

        LoadTime = Stopwatch.GetElapsedTime(started);
        // Once the search order is built, every loaded record is checked against its log entry on one thread of its own,
        // at the lowest priority: with what CPU requests leave.
        RecordsChecked = _index.SearchOrderBuilt.ContinueWith(_ =>
        {
            BackgroundPriority.LowerCurrentThread();
            var checking = Stopwatch.GetTimestamp();
            var (count, mismatched) = _index.CheckAll(_closing.Token);
            return (count, mismatched, Stopwatch.GetElapsedTime(checking));
        }, _closing.Token, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
    }

    private readonly CancellationTokenSource _closing = new();

    /// <summary>
    /// Completes when every entity loaded at start has been checked against the log entry that registered it: how many,
    /// how many do not match (served as <c>verified: false</c>; <c>repsecd log verify</c> names them), how long it took.
    /// </summary>
    public Task<(int Checked, int Mismatched, TimeSpan Took)> RecordsChecked { get; }

    /// <summary>
    /// Loads the entity rows into the index on every core: the rows split into as many ranges of log indices, each
    /// read on its own connection (one core reading alone spends most of its time making the records, not in SQLite).
    /// </summary>
    private void LoadInParallel(long first, long last, LogIndexBits registrations)
    {
        var ranges = Math.Clamp(Environment.ProcessorCount, 1, 8);
        var step = ((last - first) / ranges) + 1;
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges }, range =>
        {
            var session = Rent();
            try
            {
                session.LoadAll(_index, first + (range * step), first + ((range + 1) * step), registrations);
            }
            finally
            {
                Return(session);
            }
        });
    }

    /// <summary>How long loading the in-memory state at start took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Completes when RDAP searches can run on what was loaded: how many entities were sorted, and how long it took.</summary>
    public Task<(int Count, TimeSpan Took)> SearchOrderBuilt => _index.SearchOrderBuilt;

    /// <summary>The entities registered now.</summary>
    public int Count => _index.Count;

    public ValueTask<EntityRecord?> FindAsync(EntityType type, string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_index.Find(type, key));

    public ValueTask<IReadOnlyList<AuditEntry>> GetHistoryAsync(EntityType type, string key, CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            return ValueTask.FromResult(session.History(type, key, _index.EntriesAbout(type, key)));
        }
        finally
        {
            Return(session);
        }
    }

    public ValueTask<WriteOutcome> RegisterAsync(Registration registration, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.RegisterOp(registration), cancellationToken);

    public ValueTask<WriteOutcome> RemoveAsync(Removal removal, CancellationToken cancellationToken = default) =>
        _writer.SubmitAsync(new SqliteGroupCommitWriter.RemoveOp(removal), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _writer.DisposeAsync();
        for (var i = 0; i < _readers.Length; i++)
        {
            Interlocked.Exchange(ref _readers[i], null)?.Dispose();
        }
    }

    private SqliteReadSession Rent()
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            if (Interlocked.Exchange(ref _readers[i], null) is { } session)
            {
                return session;
            }
        }

        return new SqliteReadSession(_database.Open());
    }

    private void Return(SqliteReadSession session)
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _readers[i], session, null) is null)
            {
                return;
            }
        }

        session.Dispose();
    }
}
