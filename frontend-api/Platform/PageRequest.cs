namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// A cursor-paginated request: <c>?cursor=…&amp;limit=…</c>. The cursor is an opaque, signed token (see
/// <see cref="CursorCodec"/>) that encodes the sort key of the last item of the previous page, so pages stay stable while
/// rows are inserted, and a cursor that was not issued by this list is a 400 rather than a query with a forged key.
/// </summary>
public sealed record PageRequest<TKey>(TKey? After, int Limit) where TKey : class
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Signs the next page's cursor; set by <see cref="TryParse"/>, the only way endpoints make a request.</summary>
    private CursorCodec? Codec { get; init; }

    /// <summary>Parses the query values; on failure returns the field and message for a 400.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "TKey cannot be inferred from the arguments, so callers name it anyway: PageRequest<TKey>.TryParse reads as the request it makes.")]
    public static bool TryParse(string? cursor, int? limit, CursorCodec codec, out PageRequest<TKey> request, out (string Field, string Message) error)
    {
        request = new PageRequest<TKey>(default, DefaultLimit) { Codec = codec };
        error = default;
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            error = ("limit", $"Limit must be between 1 and {MaxLimit}.");
            return false;
        }

        if (string.IsNullOrEmpty(cursor))
        {
            request = new PageRequest<TKey>(default, size) { Codec = codec };
            return true;
        }

        if (!codec.TryDecode<TKey>(cursor, out var after))
        {
            error = ("cursor", "Invalid cursor: it is not one this list issued; start again without it.");
            return false;
        }
        request = new PageRequest<TKey>(after, size) { Codec = codec };
        return true;
    }

    /// <summary>Builds the page from up to <c>Limit + 1</c> items: the extra one only says whether there is a next page.</summary>
    public CursorPage<TItem> ToPage<TItem>(IReadOnlyList<TItem> fetched, Func<TItem, TKey> keyOf)
    {
        var hasMore = fetched.Count > Limit;
        var items = hasMore ? fetched.Take(Limit).ToList() : fetched.ToList();
        var codec = Codec ?? throw new InvalidOperationException("A page request is made by PageRequest.TryParse, which gives it the cursor codec.");
        var next = hasMore ? codec.Encode(keyOf(items[^1])) : null;
        return new CursorPage<TItem>(items, next);
    }
}
