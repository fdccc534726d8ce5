using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.Media;

namespace Flexoraa.Tests.Media;

/// <summary>The pieces media fetching trusts: checksum reading, type matching, the URL allowlist, blob names and ids.</summary>
public sealed class MediaBuildingBlockTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "flexoraa-blob-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_sha256_is_checked_whether_meta_sent_it_as_hex_or_base64()
    {
        var bytes = "hello media"u8.ToArray();
        var hash = SHA256.HashData(bytes);

        Assert.True(MediaChecksum.Matches(Convert.ToHexStringLower(hash), hash));
        Assert.True(MediaChecksum.Matches(Convert.ToHexString(hash), hash));
        Assert.True(MediaChecksum.Matches(Convert.ToBase64String(hash), hash));
        Assert.True(MediaChecksum.Matches(Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_'), hash));
        Assert.False(MediaChecksum.Matches("81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3", hash));
        Assert.Null(MediaChecksum.Matches("<HASH>", hash));
        Assert.Null(MediaChecksum.Matches("abcd", hash));
    }

    [Theory]
    [InlineData("image/jpeg", true)]
    [InlineData("audio/ogg; codecs=opus", true)]
    [InlineData("application/pdf", true)]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true)]
    [InlineData("TEXT/PLAIN", true)]
    [InlineData("text/html", false)]
    [InlineData("application/x-msdownload", false)]
    [InlineData("application/octet-stream", false)]
    [InlineData("imagejpeg", false)]
    public void Only_the_allowed_media_types_are_kept(string mimeType, bool allowed) =>
        Assert.Equal(allowed, MediaMimeTypes.IsAllowed(mimeType, MediaSettings.DefaultAllowedMimeTypes));

    [Theory]
    [InlineData("image/png", true)]
    [InlineData("video/mp4", true)]
    [InlineData("image/svg+xml", false)]
    [InlineData("application/pdf", false)]
    public void Only_raster_images_video_and_audio_are_shown_inline(string mimeType, bool inline) =>
        Assert.Equal(inline, MediaMimeTypes.IsInline(mimeType));

    [Theory]
    [InlineData("https://scontent.xx.fbcdn.net/v/t1.15752-9/123_n.jpg?_nc_cat=1&oh=00_Af", true)]
    [InlineData("https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x", true)]
    [InlineData("https://scontent.cdninstagram.com/v/abc.jpg", true)]
    [InlineData("http://scontent.xx.fbcdn.net/v/abc.jpg", false)]
    [InlineData("https://fbcdn.net.evil.example/abc.jpg", false)]
    [InlineData("https://evilfbcdn.net/abc.jpg", false)]
    [InlineData("https://169.254.169.254/latest/meta-data/", false)]
    [InlineData("https://user:pass@scontent.xx.fbcdn.net/abc.jpg", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("<ATTACHMENT_URL>", false)]
    public void Attachment_urls_are_fetched_only_over_https_from_metas_hosts(string url, bool allowed) =>
        Assert.Equal(allowed, MediaFetcher.TryAllowedUrl(url, new MediaSettings(), out _, out _));

    [Fact]
    public async Task The_file_store_keeps_each_tenants_media_in_its_own_folder_and_refuses_unsafe_or_foreign_keys()
    {
        var store = new FileSystemMediaBlobStore(_root);
        var key = await store.PutAsync("tn_owner", "md_abc", new MemoryStream("bytes"u8.ToArray()));

        await using (var read = await store.OpenReadAsync("tn_owner", key))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal("bytes"u8.ToArray(), copy.ToArray());
        }
        Assert.True(File.Exists(Path.Combine(_root, "tn_owner", "md_abc")));
        Assert.Null(await store.OpenReadAsync("tn_owner", "tn_owner/md_missing"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("tn_other", key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("tn_owner", "tn_owner/../tn_other/md_abc"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("tn_owner", "../escape", new MemoryStream()));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("tn_owner", "md_abc\n", new MemoryStream()));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("..", "md_abc", new MemoryStream()));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_media_id_is_the_same_for_every_delivery_of_the_same_source_and_differs_between_tenants_and_channels()
    {
        var id = MediaObjectIds.For("tn_a", ChannelKind.WhatsApp, "2754859441498128");

        Assert.Equal(id, MediaObjectIds.For("tn_a", ChannelKind.WhatsApp, "2754859441498128"));
        Assert.NotEqual(id, MediaObjectIds.For("tn_b", ChannelKind.WhatsApp, "2754859441498128"));
        Assert.NotEqual(id, MediaObjectIds.For("tn_a", ChannelKind.Messenger, "2754859441498128"));
        Assert.Matches("^md_[a-z2-9]{24}$", id);
    }
}
