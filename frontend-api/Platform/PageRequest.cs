using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// A cursor-paginated request: <c>?cursor=…&amp;limit=…</c>. The cursor is an opaque base64url token that
/// encodes the sort key of the last item of the previous page, so pages stay stable while rows are inserted.
/// </summary>
public sealed record PageRequest<TKey>(TKey? After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Parses the query values; on failure returns the field and message for a 400.</summary>
    public static bool TryParse(string? cursor, int? limit, out PageRequest<TKey> request, out (string Field, string Message) error)
    {
        request = new PageRequest<TKey>(default, DefaultLimit);
        error = default;
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            error = ("limit", $"Limit must be between 1 and {MaxLimit}.");
            return false;
        }

        if (string.IsNullOrEmpty(cursor))
        {
            request = new PageRequest<TKey>(default, size);
            return true;
        }

        try
        {
            var json = Base64Url.DecodeFromChars(cursor);
            var after = JsonSerializer.Deserialize<TKey>(json, CursorJson.Options);
            if (after is null) throw new JsonException();
            request = new PageRequest<TKey>(after, size);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or NotSupportedException)
        {
            error = ("cursor", "The cursor is not one this API issued; start again without it.");
            return false;
        }
    }

    /// <summary>Builds the page from up to <c>Limit + 1</c> items: the extra one only says whether there is a next page.</summary>
    public CursorPage<TItem> ToPage<TItem>(IReadOnlyList<TItem> fetched, Func<TItem, TKey> keyOf)
    {
        var hasMore = fetched.Count > Limit;
        var items = hasMore ? fetched.Take(Limit).ToList() : fetched.ToList();
        var next = hasMore ? Encode(keyOf(items[^1])) : null;
        return new CursorPage<TItem>(items, next);
    }

    public static string Encode(TKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(key, CursorJson.Options)));
}

internal static class CursorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
