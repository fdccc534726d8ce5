using System.Data;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.ReadModels;

/// <summary>
/// How Dapper maps the PostgreSQL types our read models use. Registered once per process, before the first query, by
/// <see cref="TenantDatabase"/>; every store goes through it, so no store converts types or nulls by hand.
/// </summary>
public static class SqlTypes
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Columns are snake_case, records PascalCase: map created_at to CreatedAt without aliasing every column.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new UtcDateTimeOffset());
        SqlMapper.AddTypeHandler(new JsonbElement());
        SqlMapper.AddTypeHandler(new TextArray());
    }

    /// <summary>
    /// Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/> and refuses to write a
    /// <see cref="DateTimeOffset"/> whose offset is not zero; our records carry <see cref="DateTimeOffset"/> in UTC.
    /// </summary>
    private sealed class UtcDateTimeOffset : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.Value = value.ToUniversalTime();
            if (parameter is NpgsqlParameter npgsql) npgsql.NpgsqlDbType = NpgsqlDbType.TimestampTz;
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
            DateTimeOffset at => at,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a timestamptz."),
        };
    }

    /// <summary>
    /// <c>text[]</c> columns (conversation tags) as <see cref="string"/> arrays. Npgsql reports an array column's type
    /// as <see cref="Array"/>, which Dapper will not match to a record's <c>string[]</c> parameter without a handler.
    /// </summary>
    private sealed class TextArray : SqlMapper.TypeHandler<string[]>
    {
        public override void SetValue(IDbDataParameter parameter, string[]? value)
        {
            parameter.Value = value;
            if (parameter is NpgsqlParameter npgsql) npgsql.NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        }

        public override string[] Parse(object value) => value switch
        {
            string[] texts => texts,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as text[]."),
        };
    }

    /// <summary><c>jsonb</c> columns read and written as <see cref="JsonElement"/>, sent with the jsonb type.</summary>
    private sealed class JsonbElement : SqlMapper.TypeHandler<JsonElement>
    {
        public override void SetValue(IDbDataParameter parameter, JsonElement value)
        {
            parameter.Value = value.GetRawText();
            if (parameter is NpgsqlParameter npgsql) npgsql.NpgsqlDbType = NpgsqlDbType.Jsonb;
        }

        public override JsonElement Parse(object value) => value switch
        {
            string text => JsonDocument.Parse(text).RootElement.Clone(),
            JsonElement element => element,
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as jsonb."),
        };
    }
}
