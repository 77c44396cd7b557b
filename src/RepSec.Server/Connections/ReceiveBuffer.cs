namespace RepSec.Server.Connections;

/// <summary>
/// What a connection has read and not yet consumed, in one array: requests are cut from the front, reads append
/// at the end. It grows, doubling, up to <paramref name="maxBytes"/> when what is pending fills it, and goes back
/// to its first size once empty after growing past <paramref name="retainedBytes"/>, so that thousands of open
/// connections do not each keep the largest request they ever sent.
/// </summary>
internal sealed class ReceiveBuffer(int initialBytes, int retainedBytes, int maxBytes)
{
    private byte[] _bytes = new byte[initialBytes];

    /// <summary>Bytes read and not consumed.</summary>
    public int Count { get; private set; }

    /// <summary>The unconsumed bytes from <paramref name="start"/> on.</summary>
    public ReadOnlySpan<byte> From(int start) => _bytes.AsSpan(start, Count - start);

    public ReadOnlySpan<byte> Slice(int start, int length) => _bytes.AsSpan(start, length);

    /// <summary>Where the next read goes.</summary>
    public Memory<byte> Free => _bytes.AsMemory(Count);

    public void Received(int bytes) => Count += bytes;

    /// <summary>Drops the first <paramref name="consumed"/> bytes; then shrinks an empty buffer, or grows a full one.</summary>
    public void Consume(int consumed)
    {
        Count -= consumed;
        if (Count > 0 && consumed > 0)
        {
            _bytes.AsSpan(consumed, Count).CopyTo(_bytes);
        }

        if (Count == 0 && _bytes.Length > retainedBytes)
        {
            _bytes = new byte[initialBytes];
        }
        else if (Count == _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Min(_bytes.Length * 2, maxBytes));
        }
    }
}
