namespace Flexoraa.Leads.Import;

/// <summary>The upload cannot be read as a table at all (no header, or a quote that never closes); the message says where.</summary>
public sealed class CsvFileException(string message, Exception? inner = null) : Exception(message, inner);
