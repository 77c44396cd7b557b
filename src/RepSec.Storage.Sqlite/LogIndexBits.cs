namespace RepSec.Storage.Sqlite;

/// <summary>A set of log indices from 0 to a last one, a bit each, that the threads loading the entities add to at once.</summary>
internal sealed class LogIndexBits(long last)
{
    private readonly long[] _bits = new long[(Math.Max(0, last) >> 6) + 1];

    public void Add(long index)
    {
        if (index >= 0 && (index >> 6) < _bits.Length)
        {
            Interlocked.Or(ref _bits[index >> 6], 1L << (int)(index & 63));
        }
    }

    public bool Contains(long index) => index >= 0 && (index >> 6) < _bits.Length && (_bits[index >> 6] & (1L << (int)(index & 63))) != 0;
}
