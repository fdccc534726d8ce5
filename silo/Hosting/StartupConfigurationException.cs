namespace Flexoraa.Silo.Hosting;

/// <summary>
/// Configuration that makes starting impossible, with a message that says what to set. Hosts print it and exit instead of
/// showing a stack trace.
/// </summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
