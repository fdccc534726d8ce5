using System.Xml.Linq;
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
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Names are "key-{guid}" or "revocation-{time}", so a clash is the same element stored again by a retry.
        using var command = dataSource.CreateCommand("""
            INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)
            ON CONFLICT (friendly_name) DO NOTHING
            """);
        command.Parameters.AddWithValue("name", string.IsNullOrWhiteSpace(friendlyName) ? $"element-{Guid.NewGuid():N}" : friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
