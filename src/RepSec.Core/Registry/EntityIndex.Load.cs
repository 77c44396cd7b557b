using System.Runtime;

namespace RepSec.Core.Registry;

public sealed partial class EntityIndex
{
    // What loading one record allocates, with room to spare: the record, its key, its node in the table, the row's
    // passing strings (about 250 bytes at ten million names).
    private const long BytesPerRecordLoaded = 512;
    private const long BytesBesidesRecords = 64L << 20;

    // Below this many, collections during the load cost little, and the full collection after it would cost more.
    private const int LoadWithoutCollectionsFrom = 100_000;

    // Between BeginLoad and EndLoad: records are not ordered one by one; guarded by locking _guard.
    private bool _loading;
    private bool _noCollections;

    /// <summary>
    /// While loading, records are not kept in order one by one; <see cref="EndLoad"/> sorts them once. An empty
    /// index is sized for <paramref name="expected"/> records with room to spare, so neither the load nor the first
    /// writes after it grow the table (a growth copies every entry). For the load, the garbage collector is asked to
    /// collect nothing: almost everything it allocates is kept, and at ten million names the collections repeatedly
    /// marking the growing heap were a third of the load's time. Where the runtime cannot promise that much memory
    /// (a heap limit), or for fewer than 100,000 records, the load runs with collections as usual.
    /// </summary>
    public void BeginLoad(int expected = 0)
    {
        lock (_guard)
        {
            if (_records.IsEmpty && expected > 0)
            {
                _records = new(concurrencyLevel: Environment.ProcessorCount, capacity: expected + (expected / 4));
            }

            _loading = true;
            _built.Reset();
        }

        if (expected >= LoadWithoutCollectionsFrom)
        {
            try
            {
                _noCollections = GC.TryStartNoGCRegion(BytesBesidesRecords + (BytesPerRecordLoaded * expected));
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
            {
                _noCollections = false;
            }
        }
    }

    /// <summary>
    /// Ends the load, lets the garbage collector work again (after one full collection of what the load made), and
    /// starts sorting the records for searches.
    /// </summary>
    public void EndLoad()
    {
        lock (_guard)
        {
            _loading = false;
        }

        if (_noCollections)
        {
            // The region has ended by itself if the process allocated more than was asked for meanwhile.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // Ended between the check and the call: collections are back either way.
                }
            }

            // Everything loaded is still in the youngest generation, and the first ordinary collection would stop the
            // process to mark and promote all of it: at ten million names a stall of seconds after ready, with
            // requests waiting. Collected once here, before ready (about 1.8 s at ten million), it is old at once.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            _noCollections = false;
        }

        StartSorting();
    }
}
