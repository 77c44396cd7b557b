using System.Net.Security;
using System.Net.Sockets;

namespace RepSec.Server.Connections;

/// <summary>
/// What repsecd's own connection loops (RepSec's and RDAP's HTTP/1.1) share over one TLS stream: the deadline
/// the listener's sweep checks, the handshake between shutdown and a loop about to read, the write whose deadline
/// catches a client that stopped reading, the abort, and the end of the loop (the stream disposed, the abort
/// signalled, anything unexpected logged once).
/// </summary>
internal abstract class TlsConnection(Socket socket, SslStream tls) : IServedConnection
{
    protected const long NoDeadline = long.MaxValue;

    private long _deadline = NoDeadline;
    private volatile bool _closing;
    private volatile bool _waiting;
    private volatile bool _writing;

    protected SslStream Tls => tls;

    /// <summary>Cancelled when the connection is aborted: what is being served sees it.</summary>
    protected CancellationTokenSource Aborted { get; } = new();

    /// <summary>True once shutdown (or the request itself) asked the connection to close after its current answer.</summary>
    protected bool Closing => _closing;

    /// <summary>True while an answer is being written: an expired deadline then means the client stopped reading.</summary>
    protected bool Writing => _writing;

    public async Task RunAsync()
    {
        try
        {
            await ServeAsync();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The client went away, or a timeout or shutdown closed the socket under a read or write.
        }
        catch (Exception exception)
        {
            OnFailed(exception);
        }
        finally
        {
            await Aborted.CancelAsync();
            await tls.DisposeAsync();
            Aborted.Dispose();
            OnClosed();
        }
    }

    public bool Expired(long now) => now > Volatile.Read(ref _deadline);

    public abstract void Expire();

    public void CloseWhenDone()
    {
        // Paired with the fence in BeginRead: either the loop sees Closing before it reads again, or this sees it waiting.
        _closing = true;
        Interlocked.MemoryBarrier();
        if (_waiting)
        {
            Shutdown();
        }
    }

    /// <summary>A pending read or write fails, and what is being served sees <see cref="Aborted"/>.</summary>
    public void Abort()
    {
        _closing = true;
        socket.Dispose();
        try
        {
            Aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection had already ended.
        }
    }

    /// <summary>The loop: serves until the client closes, the connection fails, times out, or shutdown ends it.</summary>
    protected abstract Task ServeAsync();

    /// <summary>Something other than the client going away ended the loop.</summary>
    protected abstract void OnFailed(Exception exception);

    protected virtual void OnClosed()
    {
    }

    /// <summary>
    /// Before a read that waits for the client, until <paramref name="deadline"/>: false when the connection must not
    /// read again because shutdown asked it to close. An <paramref name="idle"/> wait (no request under way) is one
    /// that shutdown may end at once.
    /// </summary>
    protected bool BeginRead(bool idle, long deadline)
    {
        _waiting = idle;
        Interlocked.MemoryBarrier();
        if (idle && _closing)
        {
            return false;
        }

        Volatile.Write(ref _deadline, deadline);
        return true;
    }

    protected void EndRead()
    {
        Volatile.Write(ref _deadline, NoDeadline);
        _waiting = false;
    }

    /// <summary>Writes <paramref name="bytes"/>; a client that has not taken them by <paramref name="deadline"/> loses the connection.</summary>
    protected async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, long deadline)
    {
        _writing = true;
        Volatile.Write(ref _deadline, deadline);
        await tls.WriteAsync(bytes);
        Volatile.Write(ref _deadline, NoDeadline);
        _writing = false;
    }

    /// <summary>
    /// Ends the connection the way a client's close does: a pending read sees the end of the stream, a pending write
    /// fails, and the client reads the end of the stream rather than a reset, even with bytes it sent left unread.
    /// </summary>
    protected void Shutdown()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The connection had already ended.
        }
    }
}
