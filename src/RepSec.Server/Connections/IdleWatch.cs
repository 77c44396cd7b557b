using System.IO.Pipelines;

namespace RepSec.Server.Connections;

/// <summary>
/// Closes a connection that has not completed a request for the idle timeout. Only a complete line (or a read
/// that starts a fresh line) counts as activity, so a client trickling bytes of an unfinished line cannot keep
/// its connection, and its slot, forever. A client that pipelines requests and never reads the answers is idle
/// too: the loop waits on a flush that cannot complete, so the timeout cancels the flush as well as the read.
/// The hot path only stamps a time; the timer re-arms itself.
/// </summary>
internal sealed class IdleWatch : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ITimer _timer;
    private long _lastActivity;

    public IdleWatch(TimeProvider time, TimeSpan timeout, PipeReader input, PipeWriter output)
    {
        _time = time;
        _timeout = timeout;
        _input = input;
        _output = output;
        _lastActivity = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((IdleWatch)state!).Check(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once the timeout has passed without activity.</summary>
    public bool Expired => _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= _timeout;

    public void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        var idle = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (idle >= _timeout)
        {
            try
            {
                _input.CancelPendingRead();
                _output.CancelPendingFlush();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended while the timer fired (a timer callback may still run after Dispose).
                return;
            }

            // Re-armed: when the loop finds it was busy rather than idle (a slow request), the watch goes on.
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(_timeout - idle, Timeout.InfiniteTimeSpan);
        }
    }
}
