using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Media;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Flexoraa.FrontendApi.Media;

/// <summary>
/// <c>/api/v1/media/{mediaId}</c>: the bytes of an inbound attachment once it is fetched, and where its fetch stands.
/// The id comes from the message's attachment (<c>mediaObjectId</c>). Rows are read in the caller's tenant only, so
/// another tenant's id is simply not found.
/// </summary>
public static class MediaEndpoints
{
    /// <summary>How long a client should wait before asking again for media still being fetched.</summary>
    private const int PendingRetryAfterSeconds = 5;

    private static readonly FileExtensionContentTypeProvider Extensions = new();

    // The provider maps extensions to types; going back, a type has several (text/plain: .bas, .c, .txt...), so the
    // usual one is named for the types people send.
    private static readonly Dictionary<string, string> UsualExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/pdf"] = ".pdf", ["text/plain"] = ".txt", ["text/csv"] = ".csv", ["image/svg+xml"] = ".svg",
        ["application/msword"] = ".doc", ["application/vnd.ms-excel"] = ".xls", ["application/vnd.ms-powerpoint"] = ".ppt",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = ".pptx",
    };

    public static RouteGroupBuilder MapMediaEndpoints(this RouteGroupBuilder api)
    {
        var media = api.MapGroup("/media").WithTags("Media")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        media.MapGet("/{mediaId}", Download).RequirePermission(Permission.ReadConversations).WithName("GetMedia")
            .Produces(StatusCodes.Status200OK, contentType: MediaMimeTypes.Fallback).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The media's bytes with their content type; documents come as a download. 409 while it is not fetched yet, or when the fetch failed or was rejected");
        media.MapGet("/{mediaId}/info", Info).RequirePermission(Permission.ReadConversations).WithName("GetMediaInfo")
            .WithSummary("Where the media's fetch stands: status, attempts, the last error, and type, size and SHA-256 once stored");
        return api;
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        string mediaId, MediaObjectStore store, IMediaBlobStore blobs, HttpContext http, CancellationToken cancellationToken)
    {
        var tenantId = http.Caller().TenantId;
        if (await store.FindAsync(tenantId, mediaId, cancellationToken) is not { } media) return ApiProblems.NotFound("The media");

        if (media.Status == MediaStatuses.Pending)
        {
            http.Response.Headers.RetryAfter = PendingRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return NotAvailable(media, "The media has not been fetched from the channel yet; try again shortly.");
        }
        if (media.Status != MediaStatuses.Stored || media.BlobKey is null)
        {
            return NotAvailable(media, $"The media could not be fetched ({media.Status}): {media.LastError}");
        }
        if (await blobs.OpenReadAsync(tenantId, media.BlobKey, cancellationToken) is not { } content)
        {
            return NotAvailable(media, "The media's bytes are missing from the blob store.");
        }

        var declared = media.MimeType ?? MediaMimeTypes.Fallback;
        var (readable, sniffed) = await SniffAsync(content, cancellationToken);
        // Inline only when the bytes are what the type claims: an executable uploaded as image/png is a download.
        var inline = MediaSignature.AgreesWith(declared, sniffed);
        var contentType = inline ? sniffed! : MediaMimeTypes.IsInline(declared) ? MediaMimeTypes.Fallback : declared;
        // Stored media never changes, so a client may keep it; it is only ever the caller's tenant's, hence private.
        http.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        return TypedResults.File(
            readable,
            contentType,
            fileDownloadName: inline ? null : DownloadName(media, declared),
            entityTag: media.Sha256Actual is { } sha ? new EntityTagHeaderValue($"\"{sha}\"") : null,
            enableRangeProcessing: true);
    }

    /// <summary>Reads the head of the content for <see cref="MediaSignature"/> and hands back a stream that still starts at byte 0.</summary>
    private static async Task<(Stream Content, string? Sniffed)> SniffAsync(Stream content, CancellationToken cancellationToken)
    {
        var head = new byte[MediaSignature.HeadLength];
        var read = 0;
        while (read < head.Length && await content.ReadAsync(head.AsMemory(read), cancellationToken) is var n and > 0) read += n;
        var sniffed = MediaSignature.Sniff(head.AsSpan(0, read));
        if (content.CanSeek)
        {
            content.Seek(0, SeekOrigin.Begin);
            return (content, sniffed);
        }
        // Blob stores without seeking get the head put back in front.
        var rebuilt = new MemoryStream();
        await rebuilt.WriteAsync(head.AsMemory(0, read), cancellationToken);
        await content.CopyToAsync(rebuilt, cancellationToken);
        await content.DisposeAsync();
        rebuilt.Position = 0;
        return (rebuilt, sniffed);
    }

    private static async Task<Results<Ok<MediaInfoView>, ProblemHttpResult>> Info(
        string mediaId, MediaObjectStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.FindAsync(http.Caller().TenantId, mediaId, cancellationToken) is { } media
            ? TypedResults.Ok(MediaInfoView.From(media))
            : ApiProblems.NotFound("The media");

    private static ProblemHttpResult NotAvailable(MediaObjectRecord media, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The media is not available", detail: detail,
            extensions: new Dictionary<string, object?> { ["status"] = media.Status, ["attempts"] = media.Attempts, ["lastError"] = media.LastError });

    /// <summary>The sender's file name when the channel gave one (WhatsApp documents), else the id with the type's usual extension.</summary>
    private static string DownloadName(MediaObjectRecord media, string contentType)
    {
        if (media.FileName is { Length: > 0 } name) return name;
        var type = MediaMimeTypes.BaseType(contentType);
        var extension = UsualExtensions.GetValueOrDefault(type) ?? Extensions.Mappings.Where(m => string.Equals(m.Value, type, StringComparison.OrdinalIgnoreCase)).Select(m => m.Key).Order(StringComparer.Ordinal).FirstOrDefault();
        return media.Id + (extension ?? "");
    }
}
