using System.Text.Json;

namespace RepSec.Client.Transport;

/// <summary>
/// Pipelined JSON lines over one stream. Writers take turns to write whole lines and, under the same lock, queue
/// their pending responses in send order; one read loop completes them in FIFO order, because the server answers
/// strictly in request order. When the stream breaks, every pending and later request fails.
/// </summary>
internal sealed class LineConnection : IAsyncDisposable
{
    /// <summary>Longest response line read; a longer one means a broken or hostile server.</summary>
    public const int MaxResponseLineBytes = 16 * 1024 * 1024;

    private const int InitialBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _pendingLock = new();
    private readonly Queue<PendingResponse> _pending = new();
    private readonly Task _readLoop;
    private string? _failureMessage;
    private Exception? _failureCause;
    private int _disposed;

    public LineConnection(Stream stream)
    {
        _stream = stream;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Writes one request line (ending in LF) and waits for its response object.</summary>
    public async Task<JsonElement> SendAsync(ReadOnlyMemory<byte> line, long id, CancellationToken cancellationToken)
    {
        var pending = new PendingResponse(id);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_pendingLock)
            {
                if (_failureMessage is not null)
                {
                    throw new RepSecConnectionException(_failureMessage, _failureCause);
                }

                _pending.Enqueue(pending);
            }

            try
            {
                await _stream.WriteAsync(line, cancellationToken);
                await _stream.FlushAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                // A half-written line leaves the stream unframed, so the connection cannot carry another request.
                Fail($"Sending the request failed: {exception.Message}", exception);
                if (exception is OperationCanceledException)
                {
                    throw;
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Fail("The connection was closed by the client", new ObjectDisposedException(nameof(RepSecClient)));
        await _readLoop;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[InitialBufferBytes];
        int start = 0, end = 0, scanned = 0;
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var lineEnd = scanned + newline;
                    Dispatch(buffer.AsSpan(start, lineEnd - start));
                    start = scanned = lineEnd + 1;
                    continue;
                }

                if (end - start > MaxResponseLineBytes)
                {
                    throw new InvalidDataException($"The server sent a line longer than {MaxResponseLineBytes} bytes");
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                scanned = end;
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxResponseLineBytes + 1));
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(end));
                if (read == 0)
                {
                    Fail("The server closed the connection", null);
                    return;
                }

                end += read;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException)
        {
            Fail($"The server broke the protocol: {exception.Message}", exception);
        }
        catch (Exception exception)
        {
            Fail($"The connection broke: {exception.Message}", exception);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(line);
        var response = JsonElement.ParseValue(ref reader);
        if (response.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("The server sent a line that is not a JSON object");
        }

        PendingResponse? pending;
        lock (_pendingLock)
        {
            _pending.TryPeek(out pending);
        }

        if (pending is null)
        {
            var message = response.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : "no message";
            throw new InvalidDataException($"The server sent a response to no request ({message})");
        }

        if (!IdMatches(response, pending.Id))
        {
            throw new InvalidDataException($"The server answered request {pending.Id} with a different id");
        }

        lock (_pendingLock)
        {
            // Only this loop dequeues, except Fail, which empties the queue and marks the connection failed.
            if (_failureMessage is not null || !_pending.TryDequeue(out pending))
            {
                return;
            }
        }

        pending.Complete(response);
    }

    private static bool IdMatches(JsonElement response, long id)
    {
        if (response.TryGetProperty("id", out var echoed))
        {
            return echoed.ValueKind == JsonValueKind.Number && echoed.TryGetInt64(out var value) && value == id;
        }

        // A request the server could not parse (an over-long line, say) gets an error without an id.
        return !(response.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number
            && status.TryGetInt32(out var code) && code == 200);
    }

    private void Fail(string message, Exception? cause)
    {
        PendingResponse[] pending;
        lock (_pendingLock)
        {
            if (_failureMessage is null)
            {
                _failureMessage = message;
                _failureCause = cause;
            }

            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var request in pending)
        {
            request.Fail(new RepSecConnectionException(_failureMessage, _failureCause));
        }

        // Closing the stream ends the read loop and any write in progress.
        _stream.Dispose();
    }
}
