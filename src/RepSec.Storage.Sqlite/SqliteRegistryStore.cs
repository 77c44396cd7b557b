using System.Diagnostics;
using System.Runtime.ExceptionServices;
using RepSec.Core.Registry;
using RepSec.Protocol.Entities;

namespace RepSec.Storage.Sqlite;

/// <summary>
/// The registry on SQLite. Entity lookups read the in-memory <see cref="EntityIndex"/>, loaded once here; other
/// reads run on pooled connections with prepared statements; writes go through the single
/// <see cref="SqliteGroupCommitWriter"/>, which keeps the index current. Records are loaded without their log entries:
/// threads of their own check each against its entry after the load, and a record handed out before that check
/// reached it is checked first, reading its one entry (<see cref="Settled"/>).
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryStore, IAsyncDisposable
{

    private readonly SqliteDatabase _database;
    private readonly SqliteGroupCommitWriter _writer;
    // Idle read sessions in slots taken and returned with one interlocked operation each (no lock on the read path).
    private readonly SqliteReadSession?[] _readers = new SqliteReadSession?[Math.Max(8, Environment.ProcessorCount * 4)];

    private readonly EntityIndex _index = new();

    public SqliteRegistryStore(SqliteDatabase database)
        : this(database, checkAfter: Task.CompletedTask)
    {
    }

    /// <summary>
    /// A store whose background check of the loaded records starts only once <paramref name="checkAfter"/> completes
    /// too, reading <paramref name="checkRange"/> log indices at a time (tests).
    /// </summary>
    internal SqliteRegistryStore(SqliteDatabase database, Task checkAfter, long checkRange = DefaultCheckRange)
    {
        _checkRange = checkRange;
        _database = database;
        _writer = new SqliteGroupCommitWriter(database, _index);
        var started = Stopwatch.GetTimestamp();
        var session = Rent();
        try
        {
            (var count, _loadedFirst, _loadedLast) = session.EntityRows();
            _index.BeginLoad(count);
            var registrations = new LogIndexBits(_loadedLast);
            LoadInParallel(_loadedFirst, _loadedLast, registrations);
            _index.EndLoad();
            session.LoadEntries(_index, registrations);
            session.LoadReputation(_index);
        }
        finally
        {
            Return(session);
        }

        LoadTime = Stopwatch.GetElapsedTime(started);
        // Right after the load, every loaded record is checked against its log entry on threads of their own, at normal
        // priority: until a record is checked, a lookup that hands it out reads its entry from the database, so the
        // check must end in bounded time under load too (at the lowest priority, behind a saturating load, it did not
        // end in minutes). The sort for searches runs beside it at the lowest priority.
        RecordsChecked = checkAfter.ContinueWith(_ =>
        {
            var checking = Stopwatch.GetTimestamp();
            var (count, mismatched) = CheckLoaded(_closing.Token);
            return (count, mismatched, Stopwatch.GetElapsedTime(checking));
        }, _closing.Token, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
    }

    // The log indices of the entity rows loaded at start: the records the background check reads entries for.
    private readonly long _loadedFirst;
    private readonly long _loadedLast;

    /// <summary>Log indices per read of the background check: each range is one short read, so the WAL can be checkpointed between them.</summary>
    private const long DefaultCheckRange = 65_536;

    private readonly long _checkRange;

    /// <summary>
    /// Checks every record loaded at start against its log entry, a range of rows at a time, on one thread per core
    /// (this one and more of their own), each taking the next range in log order.
    /// </summary>
    private (int Checked, int Mismatched) CheckLoaded(CancellationToken cancellationToken)
    {
        var ranges = ((_loadedLast - _loadedFirst) / _checkRange) + 1;
        var (next, checkedCount, mismatched) = (-1L, 0, 0);
        Exception? failed = null;
        var helpers = Enumerable.Range(1, Math.Clamp(Environment.ProcessorCount, 1, 8) - 1)
            .Select(_ => new Thread(CheckRanges) { IsBackground = true, Name = "repsec-check" })
            .ToList();
        helpers.ForEach(thread => thread.Start());
        CheckRanges();
        helpers.ForEach(thread => thread.Join());
        if (failed is not null)
        {
            ExceptionDispatchInfo.Throw(failed);
        }

        return (checkedCount, mismatched);

        void CheckRanges()
        {
            try
            {
                long range;
                while ((range = Interlocked.Increment(ref next)) < ranges && Volatile.Read(ref failed) is null)
                {
                    var from = _loadedFirst + (range * _checkRange);
                    var session = Rent();
                    try
                    {
                        var (c, m) = session.CheckRecords(_index, from, Math.Min(from + _checkRange, _loadedLast + 1), cancellationToken);
                        Interlocked.Add(ref checkedCount, c);
                        Interlocked.Add(ref mismatched, m);
                    }
                    finally
                    {
                        Return(session);
                    }
                }
            }
            catch (Exception exception)
            {
                // Stopping (cancelled) or a read failed: the other threads stop at their next range, and the caller sees it.
                Interlocked.CompareExchange(ref failed, exception, null);
            }
        }
    }

    /// <summary>
    /// The record, checked against its log entry: a record loaded at start that the background check has not reached
    /// yet is checked here, reading its one entry (a lookup by index). Every record the store hands out is settled, so
    /// <see cref="RecordDigest.Matches"/> answers from what it keeps.
    /// </summary>
    private EntityRecord? Settled(EntityRecord? record)
    {
        if (record is not null && RecordDigest.Known(record) is null)
        {
            var session = Rent();
            try
            {
                RecordDigest.Settle(record, session.Entry(record.LogIndex));
            }
            finally
            {
                Return(session);
            }
        }

        return record;
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

    /// <summary>The record as the index holds it, without the check <see cref="FindAsync"/> makes (tests).</summary>
    internal EntityRecord? Held(EntityType type, string key) => _index.Find(type, key);

    public ValueTask<EntityRecord?> FindAsync(EntityType type, string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Settled(_index.Find(type, key)));

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
