using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Flexoraa.Silo.DataProtection;

/// <summary>
/// Data Protection's key ring in <c>data_protection_keys</c>, so every silo and frontend of a deployment encrypts and
/// decrypts with the same keys: a secret a frontend stored is readable by the grain that sends with it, on any host.
/// Elements are only added; Data Protection retires keys by writing revocation elements, never by deleting.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous. Data Protection reads the ring once and then caches it for hours, so
/// the blocking calls are rare and happen off the hot path.
/// </remarks>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Names are "key-{guid}" or "revocation-{time}", so a clash is the same element stored again by a retry.
        using var connection = dataSource.OpenConnection();
        connection.Execute("""
            INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)
            ON CONFLICT (friendly_name) DO NOTHING
            """, new { name = string.IsNullOrWhiteSpace(friendlyName) ? $"element-{Guid.NewGuid():N}" : friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
