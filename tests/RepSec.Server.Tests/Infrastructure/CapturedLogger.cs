using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RepSec.Server.Tests.Infrastructure;

/// <summary>One logged line: level, event id, and the formatted message with any exception.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Text);

/// <summary>Keeps everything logged, at every level, so tests can look at it.</summary>
public sealed class CapturedLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public string All => string.Join('\n', _entries.Select(entry => entry.Text));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, $"{formatter(state, exception)} {exception}"));
}
