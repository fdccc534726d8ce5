using Microsoft.Extensions.Logging;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>A logger provider that keeps every entry written through it, for tests that specify what is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private readonly LockedCollection<Entry> _entries = new();

    public List<Entry> Entries => _entries.Snapshot();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, LockedCollection<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Add(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
