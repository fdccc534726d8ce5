using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// The Meta Graph API, as a typed <see cref="HttpClient"/> whose base address comes from <see cref="GraphApiSettings"/>
/// and whose resilience pipeline (see <see cref="GraphApiServices"/>) retries what heals by waiting. Errors come back as
/// <see cref="GraphApiException"/> carrying Meta's error code.
/// </summary>
public sealed class GraphApiClient(HttpClient http, IOptions<GraphApiSettings> settings)
{
    private const int CopyBufferBytes = 81920;

    /// <summary>
    /// <c>GET /{version}/{media-id}</c>: the short-lived download URL and what Meta knows of the media. With
    /// <paramref name="phoneNumberId"/>, Meta also checks that the media belongs to that number.
    /// </summary>
    public async Task<GraphMediaInfo> GetMediaInfoAsync(string mediaId, string accessToken, string? phoneNumberId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var path = $"{Uri.EscapeDataString(settings.Value.GraphApiVersion)}/{Uri.EscapeDataString(mediaId)}"
            + (phoneNumberId is null ? "" : $"?phone_number_id={Uri.EscapeDataString(phoneNumberId)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var url = String(root, "url");
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new GraphApiException(response.StatusCode, null, null, $"The media info for {mediaId} has no usable url.");
            }
            return new GraphMediaInfo(String(root, "id") ?? mediaId, uri, String(root, "mime_type"), String(root, "sha256"), FileSize(root));
        }
        catch (JsonException e)
        {
            throw new GraphApiException(response.StatusCode, null, null, $"The media info for {mediaId} is not JSON: {e.Message}");
        }
    }

    /// <summary>
    /// <c>GET /{version}/{user-id}?fields=…</c> with the page token: a Messenger user's (PSID) or Instagram user's (IGSID)
    /// profile. Meta's refusals (2018218 no profile, 230 consent required) come back as <see cref="GraphApiException"/>.
    /// </summary>
    public async Task<GraphUserProfile> GetUserProfileAsync(string userId, string fields, string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var path = $"{Uri.EscapeDataString(settings.Value.GraphApiVersion)}/{Uri.EscapeDataString(userId)}?fields={Uri.EscapeDataString(fields)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new GraphApiException(response.StatusCode, null, null, $"The profile of {userId} is not a JSON object.");
            return new GraphUserProfile(String(root, "id"), String(root, "name"), String(root, "first_name"), String(root, "last_name"), String(root, "username"),
                String(root, "profile_pic"));
        }
        catch (JsonException e)
        {
            throw new GraphApiException(response.StatusCode, null, null, $"The profile of {userId} is not JSON: {e.Message}");
        }
    }

    /// <summary>
    /// Streams <paramref name="url"/> into <paramref name="destination"/>, hashing as it goes, and stops as soon as the
    /// body is (or announces it will be) longer than <paramref name="maxBytes"/>. WhatsApp media URLs need the same bearer
    /// token as the info call; Messenger and Instagram attachment URLs are pre-signed and get no token.
    /// </summary>
    public async Task<DownloadedMedia> DownloadAsync(Uri url, string? accessToken, long maxBytes, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        if (response.Content.Headers.ContentLength is { } announced && announced > maxBytes) throw new MediaTooLargeException(maxBytes, announced);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        long total = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes) throw new MediaTooLargeException(maxBytes, null);
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await destination.FlushAsync(cancellationToken);
        return new DownloadedMedia(response.Content.Headers.ContentType?.ToString(), total, hash.GetHashAndReset());
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        throw new GraphApiException(response.StatusCode, await GraphApiRetries.ReadErrorAsync(response, cancellationToken), GraphApiRetries.RetryAfter(response));
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>file_size</c> is a string in Meta's spec and a number in the wild; accept both.</summary>
    private static long? FileSize(JsonElement root) =>
        !root.TryGetProperty("file_size", out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;
}
