namespace Flexoraa.Silo.Postgres;

/// <summary>Thrown when local mode (or the test harness) needs PostgreSQL and none is installed.</summary>
public sealed class PostgresNotInstalledException(string message) : Exception(message);
