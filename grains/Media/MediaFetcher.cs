using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.ReadModels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Flexoraa.Media;

/// <summary>
/// One attempt at copying a media object into the blob store: for WhatsApp, media id → URL (with the account's token)
/// → bytes with the same token; for Messenger and Instagram, the attachment's pre-signed URL. The bytes stream into a
/// temporary file under the size cap, are checked against Meta's type and checksum, and only then enter the store.
/// Every failure is classified: <see cref="MediaFetchVerdict.Retry"/> only for what can heal by waiting.
/// </summary>
public sealed class MediaFetcher(
    GraphApiClient graph,
    IMediaBlobStore blobs,
    TenantDatabase database,
    ChannelSecretProtector protector,
    IOptions<MediaSettings> options,
    ILogger<MediaFetcher> logger)
{
    public async Task<MediaFetchOutcome> FetchAsync(MediaObjectRecord media, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.DownloadTimeout);
        try
        {
            return await FetchCoreAsync(media, settings, timeout.Token);
        }
        catch (MediaTooLargeException e)
        {
            return MediaFetchOutcome.Rejected(e.Message);
        }
        catch (GraphApiException e) when (e.IsTransient)
        {
            return MediaFetchOutcome.Retry(e.Message, e.RetryAfter);
        }
        catch (GraphApiException e)
        {
            return MediaFetchOutcome.Failed(e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
        {
            return MediaFetchOutcome.Retry($"The download failed: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MediaFetchOutcome.Retry($"The fetch took longer than {settings.DownloadTimeout}.");
        }
        catch (CryptographicException)
        {
            return MediaFetchOutcome.Failed("The channel account's access token cannot be decrypted; reconnect the channel.");
        }
    }

    private async Task<MediaFetchOutcome> FetchCoreAsync(MediaObjectRecord media, MediaSettings settings, CancellationToken cancellationToken)
    {
        Uri url;
        string? token = null;
        var mimeType = media.MimeType;
        var expectedSha256 = media.Sha256Expected;

        if (media.Channel == ChannelKind.WhatsApp && media.ExternalMediaId is { } mediaId)
        {
            ChannelAccountRecord? account;
            await using (var session = await database.BeginAsync(media.TenantId, cancellationToken))
            {
                account = await ChannelAccountStore.FindAsync(session, media.ChannelAccountId, cancellationToken: cancellationToken);
            }
            if (account is null) return MediaFetchOutcome.Failed("The channel account was disconnected, so its media can no longer be fetched.");
            token = protector.Unprotect(account.AccessTokenProtected);

            var info = await graph.GetMediaInfoAsync(mediaId, token, account.ExternalAccountId, cancellationToken);
            if (info.FileSize is { } announced && announced > settings.MaxBytes) return MediaFetchOutcome.Rejected(new MediaTooLargeException(settings.MaxBytes, announced).Message);
            mimeType = info.MimeType ?? mimeType;
            // The info describes the very file behind the URL; the webhook's copy of the hash is the fallback.
            if (info.Sha256 is { Length: > 0 } sha256)
            {
                if (expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
                {
                    logger.LogInformation("Media {MediaObjectId}: the webhook's sha256 differs from the media info's; checking against the media info's", media.Id);
                }
                expectedSha256 = sha256;
            }
            if (mimeType is not null && !MediaMimeTypes.IsAllowed(mimeType, settings.EffectiveAllowedMimeTypes)) return NotAllowed(mimeType);
            url = info.Url;
        }
        else if (media.SourceUrl is { } source)
        {
            if (!TryAllowedUrl(source, settings, out url, out var problem)) return MediaFetchOutcome.Rejected(problem);
        }
        else
        {
            return MediaFetchOutcome.Failed("The media has neither a media id nor a URL to fetch.");
        }

        var stagingPath = Path.Combine(Path.GetTempPath(), $"flexoraa-media-{Guid.NewGuid():N}.part");
        await using var staging = new FileStream(stagingPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var downloaded = await graph.DownloadAsync(url, token, settings.MaxBytes, staging, cancellationToken);

        var actualSha256 = MediaChecksum.Hex(downloaded.Sha256);
        var contentType = mimeType ?? downloaded.ContentType ?? MediaMimeTypes.Fallback;
        if (!MediaMimeTypes.IsAllowed(contentType, settings.EffectiveAllowedMimeTypes)) return NotAllowed(contentType, downloaded.Length, actualSha256);
        if (expectedSha256 is not null)
        {
            switch (MediaChecksum.Matches(expectedSha256, downloaded.Sha256))
            {
                case false:
                    return MediaFetchOutcome.Rejected(
                        $"Checksum mismatch: Meta announced sha256 {expectedSha256}, the downloaded bytes hash to {actualSha256}.", contentType, downloaded.Length, actualSha256);
                case null:
                    logger.LogWarning("Media {MediaObjectId}: sha256 '{Sha256}' is neither hex nor base64 of 32 bytes; not checked", media.Id, expectedSha256);
                    break;
            }
        }

        staging.Position = 0;
        var key = await blobs.PutAsync(media.TenantId, media.Id, staging, cancellationToken);
        return MediaFetchOutcome.Stored(key, downloaded.Length, actualSha256, contentType);
    }

    private static MediaFetchOutcome NotAllowed(string mimeType, long? size = null, string? sha256 = null) =>
        MediaFetchOutcome.Rejected($"The media type {MediaMimeTypes.BaseType(mimeType)} is not allowed (Flexoraa:Media:AllowedMimeTypes).", mimeType, size, sha256);

    /// <summary>
    /// Attachment URLs come from webhooks, and whoever holds an account's app secret can sign one, so only https URLs on
    /// Meta's CDN hosts are fetched: anything else would let a webhook make the server fetch from inside its network.
    /// </summary>
    public static bool TryAllowedUrl(string source, MediaSettings settings, out Uri url, out string problem)
    {
        url = null!;
        if (!Uri.TryCreate(source, UriKind.Absolute, out var parsed) || parsed.UserInfo.Length > 0)
        {
            problem = "The attachment URL is not an absolute URL.";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttps && !(settings.AllowInsecureUrls && parsed.Scheme == Uri.UriSchemeHttp))
        {
            problem = $"The attachment URL's scheme {parsed.Scheme} is not allowed; only https is fetched.";
            return false;
        }
        var host = parsed.IdnHost.TrimEnd('.');
        if (!settings.EffectiveAllowedUrlHosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase)))
        {
            problem = $"The attachment URL's host {host} is not one of Meta's (Flexoraa:Media:AllowedUrlHosts).";
            return false;
        }
        url = parsed;
        problem = "";
        return true;
    }
}
