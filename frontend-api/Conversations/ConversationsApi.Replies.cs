using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Replies;
using Flexoraa.Media;
using Flexoraa.Outbound;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// Replies to customers: <c>POST /api/v1/conversations/{conversationId}/messages</c> (text, WhatsApp template, or a file)
/// answers 202 with the message as <c>queued</c>; the send runs in the background and the message moves on to sent,
/// delivered, read or failed. The conversation grain enforces Meta's windows, the SDR rule and the Idempotency-Key.
/// </summary>
public static partial class ConversationsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;
    public const string WindowClosedType = "https://flexoraa.dev/problems/window-closed";
    public const string IdempotencyReusedType = "https://flexoraa.dev/problems/idempotency-key-reused";

    private static async Task<Results<Accepted<MessageView>, Ok<MessageView>, ValidationProblem, ProblemHttpResult>> Reply(
        string conversationId, [AsParameters] ConversationServices services, ReplyUploads uploads, HttpContext http,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (await services.Lookup.ChannelOfAsync(caller.TenantId, conversationId, cancellationToken) is not { } channel)
        {
            return ApiProblems.NotFound("The conversation");
        }
        string? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyHeader, out var keys))
        {
            key = keys.ToString();
            if (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
            {
                return ApiProblems.Validation(IdempotencyHeader, $"'{IdempotencyHeader}' is 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces (a UUID is a good choice).");
            }
        }

        var read = await ReplyRequestReader.ReadAsync(http.Request, channel, uploads.MaxUploadBytes, cancellationToken);
        if (read.Reply is not { } parsed)
        {
            return read.TooLarge
                ? TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large", detail: read.Error,
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [read.Field!] = [read.Error!] } })
                : ApiProblems.Validation(read.Field!, read.Error!);
        }

        OutboundMedia? media = null;
        if (parsed.File is { } file)
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
            // Named by its content, so a retried upload of the same file is the same media object.
            var mediaObjectId = MediaObjectIds.For(caller.TenantId, channel, "upload:" + sha256);
            using var content = new MemoryStream(file, writable: false);
            var blobKey = await uploads.Blobs.PutAsync(caller.TenantId, mediaObjectId, content, cancellationToken);
            media = new OutboundMedia(mediaObjectId, parsed.MediaKind!, parsed.FileMimeType!, parsed.FileName, file.LongLength, blobKey, sha256);
        }

        var request = new OutboundReply(
            new ConversationActor(caller.UserId, OwnWorkOnly: caller.Role == TenantRole.Sdr),
            IsHuman: caller.UserId is not null && caller.ApiKeyId is null,
            caller.ApiKeyId,
            key,
            Fingerprint(conversationId, parsed, media),
            parsed.Kind,
            parsed.Text,
            parsed.ReplyToMessageId,
            parsed.TemplateName,
            parsed.Template?.ToJsonString(),
            media);
        var result = await Grain(services, caller, conversationId).Reply(request);

        switch (result.Outcome)
        {
            case ReplyOutcome.Accepted or ReplyOutcome.Replayed:
                var view = await services.Inbox.GetMessageAsync(caller.TenantId, conversationId, result.MessageId!.Value, cancellationToken);
                if (view is null) return ApiProblems.NotFound("The message");
                var location = $"/api/v1/conversations/{conversationId}/messages/{result.MessageId.Value.ToString(CultureInfo.InvariantCulture)}";
                if (result.Outcome == ReplyOutcome.Accepted) return TypedResults.Accepted(location, view);
                http.Response.Headers.Location = location;
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(view);
            case ReplyOutcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Error);
            case ReplyOutcome.Invalid:
                return ApiProblems.Validation(result.Field!, result.Error!);
            case ReplyOutcome.WindowClosed:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: WindowClosedType,
                    title: channel == ChannelKind.WhatsApp ? "The messaging window is closed; a template is needed" : "The messaging window is closed",
                    detail: result.Error, extensions: new Dictionary<string, object?>
                    {
                        ["windowClosedAt"] = result.WindowClosedAt,
                        ["templateRequired"] = channel == ChannelKind.WhatsApp,
                    });
            case ReplyOutcome.IdempotencyKeyReused:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, type: IdempotencyReusedType,
                    title: "The Idempotency-Key was used with a different request", detail: result.Error,
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [IdempotencyHeader] = [result.Error!] } });
            default:
                return ApiProblems.NotFound("The conversation");
        }
    }

    /// <summary>What makes two requests "the same" for an Idempotency-Key: the conversation and the content, not the transport.</summary>
    private static string Fingerprint(string conversationId, ParsedReply reply, OutboundMedia? media)
    {
        var canonical = new JsonObject
        {
            ["conversation"] = conversationId,
            ["kind"] = reply.Kind.ToString(),
            ["text"] = reply.Text,
            ["replyTo"] = reply.ReplyToMessageId,
            ["template"] = reply.Template?.DeepClone(),
            ["file"] = media is null ? null : $"{media.Sha256Hex}|{media.MimeType}|{media.FileName}",
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }
}
