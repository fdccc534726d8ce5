using Flexoraa.FrontendApi.Platform;

namespace Flexoraa.Tests.Foundation;

public sealed class PageRequestTests
{
    private sealed record Key(DateTimeOffset At, string Id);

    private static readonly CursorCodec Codec = new(new byte[32]);

    [Fact]
    public void No_cursor_starts_at_the_beginning_with_the_default_limit()
    {
        Assert.True(PageRequest<Key>.TryParse(null, null, Codec, out var request, out _));
        Assert.Null(request.After);
        Assert.Equal(PageRequest<Key>.DefaultLimit, request.Limit);
    }

    [Fact]
    public void A_cursor_issued_for_a_page_round_trips_to_the_last_key_of_that_page()
    {
        var items = Enumerable.Range(0, 11).Select(i => new Key(DateTimeOffset.UnixEpoch.AddMinutes(i), $"id{i}")).ToList();
        Assert.True(PageRequest<Key>.TryParse(null, 10, Codec, out var first, out _));

        var page = first.ToPage(items, k => k);

        Assert.Equal(10, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.True(PageRequest<Key>.TryParse(page.NextCursor, 10, Codec, out var next, out _));
        Assert.Equal(items[9], next.After);
    }

    [Fact]
    public void The_last_page_has_no_next_cursor()
    {
        Assert.True(PageRequest<Key>.TryParse(null, 10, Codec, out var request, out _));
        Assert.Null(request.ToPage(new List<Key> { new(DateTimeOffset.UnixEpoch, "a") }, k => k).NextCursor);
    }

    [Theory]
    [InlineData("not base64 at all!", null, "cursor")]
    [InlineData("bm90IGpzb24", null, "cursor")]
    [InlineData(null, 0, "limit")]
    [InlineData(null, 201, "limit")]
    public void A_bad_cursor_or_limit_is_refused_naming_the_field(string? cursor, int? limit, string field)
    {
        Assert.False(PageRequest<Key>.TryParse(cursor, limit, Codec, out _, out var error));
        Assert.Equal(field, error.Field);
    }
}
