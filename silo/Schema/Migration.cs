namespace Flexoraa.Silo.Schema;

/// <summary>One versioned SQL script: <c>0003_orleans_persistence.sql</c> has version <c>0003</c>.</summary>
public sealed record Migration(string Version, string Name, string Sql, string Checksum);
