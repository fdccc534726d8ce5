using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// The Graph API's media endpoints on loopback, answering as Meta does (shared/reference/meta-platform.md, A.4 "Media
/// download" and the error body):
/// <list type="bullet">
/// <item><c>GET /{version}/{media-id}[?phone_number_id=]</c> with the bearer token → the media info (URL valid for one
/// download, <c>file_size</c> as a string); an unknown id → 400 with code 100; a wrong or missing token → 401 with code 190.</item>
/// <item><c>GET /whatsapp_business/attachments/?mid=…</c>, the lookaside-style download URL → the bytes, only with the
/// same bearer token.</item>
/// <item><c>GET /cdn/{name}</c>: a Messenger / Instagram CDN URL, pre-signed, no token.</item>
/// </list>
/// Each media can be told to fail its next requests with 500 or with the 130429 rate limit, to lie about its sha256 or
/// size, or to hold its answer.
/// <para>
/// Sends (A.4 and B.3): <c>POST /{version}/{phone-number-id}/messages</c> answers WhatsApp's success body with a fresh
/// wamid; <c>POST /{version}/{page-id | me}/messages</c> answers the Send API's <c>{recipient_id, message_id}</c>;
/// <c>POST /{version}/{phone-number-id}/media</c> answers <c>{id}</c>. <see cref="FailNextSends"/> makes the next sends
/// answer Meta's error bodies (130429, 131056, 131047, 100, 190...); <see cref="HoldSends"/> holds their answers; every
/// request is kept in <see cref="Sends"/> so a test can assert that exactly one went out.
/// </para>
/// <para>
/// Profiles (C.5): <c>GET /{version}/{PSID | IGSID}?fields=…</c> with the page token answers the fields asked for from
/// what <see cref="AddProfile"/> registered; <see cref="RefuseProfile"/> makes a user answer Meta's error instead (2018218
/// "No profile available", 230 "User consent is required"); <see cref="ProfileOutage"/> fails every profile request with
/// 500; an unknown user is Graph's 100 "does not exist". <see cref="ProfileRequests"/> counts the requests per user.
/// </para>
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    public const string Version = "v23.0";

    /// <summary>The reference's 130429 example, byte for byte (A.4, as republished from Meta's error-codes page).</summary>
    public const string RateLimitBody =
        "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\",\"code\":130429,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Message failed to send because there were too many messages sent from this phone number in a short period of time\"},\"error_subcode\":2494055,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}";

    // The reference gives the error body's shape (message, type, code, error_subcode, fbtrace_id) but no example for
    // these codes; the messages are the Graph API's well-known texts for them.
    private const string ServerErrorBody =
        "{\"error\":{\"message\":\"An unexpected error has occurred. Please retry your request later.\",\"type\":\"OAuthException\",\"is_transient\":true,\"code\":2,\"fbtrace_id\":\"AcXqPpG0gTfKZfFZ5Zr8oVw\"}}";

    private const string BadTokenBody =
        "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse access token\",\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"A4hsz1mQk9-bL0tKk8ZJ1cD\"}}";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeGraphMedia> _media = new();
    private readonly ConcurrentDictionary<string, FakeGraphMedia> _cdn = new();
    private long _nextId = 2754859441400000;
    private readonly ConcurrentQueue<int> _sendFailures = new();
    private readonly ConcurrentQueue<FakeGraphSend> _sends = new();
    private readonly ConcurrentQueue<string> _nextMessageIds = new();

    /// <summary>Every request to a send endpoint, in arrival order.</summary>
    public IReadOnlyList<FakeGraphSend> Sends => [.. _sends];

    /// <summary>While set, send requests wait for it before answering (the request is recorded first).</summary>
    public TaskCompletionSource? HoldSends { get; set; }

    /// <summary>The next sends answer these Graph error codes, one per request, before sends succeed again.</summary>
    public void FailNextSends(params int[] codes)
    {
        foreach (var code in codes) _sendFailures.Enqueue(code);
    }

    /// <summary>The next accepted message gets this id instead of a fresh one.</summary>
    public void UseNextMessageId(string id) => _nextMessageIds.Enqueue(id);

    /// <summary>The messages sends that Meta accepted for <paramref name="node"/> (phone number id, page id or "me").</summary>
    public IReadOnlyList<FakeGraphSend> AcceptedSendsTo(string node) =>
        [.. _sends.Where(s => s.Node == node && s.Endpoint == "messages" && s.AcceptedId is not null)];

    private readonly ConcurrentDictionary<string, Dictionary<string, string?>> _profiles = new();
    private readonly ConcurrentDictionary<string, int> _profileRefusals = new();
    private readonly ConcurrentDictionary<string, int> _profileRequests = new();

    /// <summary>Registers a user's profile fields as Meta holds them (e.g. first_name, last_name, profile_pic; a null field is answered as null).</summary>
    public void AddProfile(string userId, Dictionary<string, string?> fields)
    {
        _profileRefusals.TryRemove(userId, out _);
        _profiles[userId] = fields;
    }

    /// <summary>From now on the user's profile requests answer this Graph error code (2018218, 230...).</summary>
    public void RefuseProfile(string userId, int code) => _profileRefusals[userId] = code;

    /// <summary>While true, every profile request answers 500 with Graph's transient error.</summary>
    public bool ProfileOutage { get; set; }

    /// <summary>How many profile requests arrived for <paramref name="userId"/>, whatever they were answered.</summary>
    public int ProfileRequests(string userId) => _profileRequests.GetValueOrDefault(userId);

    private FakeGraphApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The one access token the fake accepts: connect test channels with it.</summary>
    public string AccessToken { get; } = "EAAGfake" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static async Task<FakeGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var fake = new FakeGraphApi(app);

        app.MapGet("/whatsapp_business/attachments/", fake.DownloadAsync);
        app.MapGet("/cdn/{name}", fake.CdnAsync);
        app.MapGet("/{version}/{mediaId}", fake.InfoAsync);
        app.MapPost("/{version}/{node}/messages", context => fake.SendAsync(context, "messages"));
        app.MapPost("/{version}/{node}/media", context => fake.SendAsync(context, "media"));

        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Registers WhatsApp media under <paramref name="id"/> (a fresh numeric id when null).</summary>
    public FakeGraphMedia AddMedia(byte[] bytes, string mimeType, string? phoneNumberId = null, string? id = null)
    {
        var media = new FakeGraphMedia(id ?? Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), bytes, mimeType, phoneNumberId);
        if (!_media.TryAdd(media.Id, media)) throw new InvalidOperationException($"Media {media.Id} is already registered.");
        return media;
    }

    /// <summary>Registers a file on the fake CDN; its URL is <see cref="CdnUrl"/>.</summary>
    public FakeGraphMedia AddCdnFile(byte[] bytes, string contentType)
    {
        var media = new FakeGraphMedia("f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), bytes, contentType, null);
        _cdn[media.Id] = media;
        return media;
    }

    /// <summary>A CDN URL shaped like Meta's (signed query parameters included).</summary>
    public string CdnUrl(FakeGraphMedia file) => $"{BaseUrl}/cdn/{file.Id}?_nc_cat=1&ccb=1-7&_nc_sid=fc17b8&oh=00_AfB{file.Id}&oe=6650A1B2";

    /// <summary>Random bytes that start like a JPEG, so a human looking at a failure sees what they are meant to be.</summary>
    public static byte[] JpegLike(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    private async Task<IResult> InfoAsync(string version, string mediaId, HttpRequest request)
    {
        if (!IsVersion(version)) return Error(400, UnknownPathBody(version, mediaId));
        if (request.Query.ContainsKey("fields") && !_media.ContainsKey(mediaId)) return Profile(mediaId, request);
        if (!HasToken(request)) return Error(401, BadTokenBody);
        if (!_media.TryGetValue(mediaId, out var media)) return Error(400, UnknownObjectBody(mediaId));
        if (media.InfoGate is { } gate) await gate.Task;
        var phoneNumberId = request.Query["phone_number_id"].ToString();
        media.LastPhoneNumberIdQuery = phoneNumberId.Length == 0 ? null : phoneNumberId;
        if (media.CountInfoAndTakeFailure()) return Failure(media, request.HttpContext.Response);
        if (phoneNumberId.Length > 0 && media.PhoneNumberId is { } owner && owner != phoneNumberId) return Error(400, UnknownObjectBody(mediaId));

        var size = media.AnnouncedFileSize ?? media.Bytes.LongLength;
        var fileSize = media.FileSizeAsNumber ? size.ToString(CultureInfo.InvariantCulture) : $"\"{size}\"";
        // Graph escapes the slashes of URLs in its JSON; a client must read them as the same URL.
        var url = $"{BaseUrl}/whatsapp_business/attachments/?mid={media.Id}&ext={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}&hash=ATuB1kYq2Zx".Replace("/", "\\/", StringComparison.Ordinal);
        var body = $"{{\"file_size\": {fileSize}, \"id\": \"{media.Id}\", \"messaging_product\": \"whatsapp\", \"mime_type\": \"{media.MimeType}\", " +
                   $"\"sha256\": \"{media.AnnouncedSha256 ?? media.Sha256Hex}\", \"url\": \"{url}\"}}";
        return Results.Text(body, "application/json", Encoding.UTF8);
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var mid = context.Request.Query["mid"].ToString();
        if (!_media.TryGetValue(mid, out var media))
        {
            context.Response.StatusCode = 404;
            return;
        }
        media.LastDownloadAuthorization = context.Request.Headers.Authorization.ToString();
        // Meta: "performing a generic GET will not return the media; you must include an access token".
        if (!HasToken(context.Request))
        {
            media.CountDownloadAndTakeFailure();
            await Error(401, BadTokenBody).ExecuteAsync(context);
            return;
        }
        if (media.CountDownloadAndTakeFailure())
        {
            await Failure(media, context.Response).ExecuteAsync(context);
            return;
        }
        await WriteBytesAsync(context, media);
    }

    private async Task CdnAsync(HttpContext context, string name)
    {
        if (!_cdn.TryGetValue(name, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }
        file.LastDownloadAuthorization = context.Request.Headers.Authorization.ToString();
        if (file.CountDownloadAndTakeFailure())
        {
            context.Response.StatusCode = 500;
            return;
        }
        await WriteBytesAsync(context, file);
    }

    private static async Task WriteBytesAsync(HttpContext context, FakeGraphMedia media)
    {
        context.Response.ContentType = media.MimeType;
        if (!media.OmitContentLength) context.Response.ContentLength = media.Bytes.Length;
        // In pieces, so a client that stops reading at its cap is seen to stop.
        for (var offset = 0; offset < media.Bytes.Length; offset += 64 * 1024)
        {
            await context.Response.Body.WriteAsync(media.Bytes.AsMemory(offset, Math.Min(64 * 1024, media.Bytes.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private async Task SendAsync(HttpContext context, string endpoint)
    {
        var request = context.Request;
        var node = (string)context.GetRouteValue("node")!;
        string? json = null;
        var fields = new Dictionary<string, string>();
        string? fileName = null, fileType = null;
        byte[]? file = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (name, value) in form) fields[name] = value.ToString();
            if (form.Files.Count > 0)
            {
                var part = form.Files[0];
                fileName = part.FileName;
                fileType = part.ContentType;
                using var copy = new MemoryStream();
                await part.CopyToAsync(copy);
                file = copy.ToArray();
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            json = await reader.ReadToEndAsync();
        }

        IResult answer;
        string? acceptedId = null;
        if (!HasToken(request)) answer = Error(401, BadTokenBody);
        else if (_sendFailures.TryDequeue(out var code)) answer = SendError(code);
        else if (endpoint == "media")
        {
            acceptedId = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            answer = Results.Text($"{{\"id\":\"{acceptedId}\"}}", "application/json", Encoding.UTF8);
        }
        else if (json is not null && json.Contains("\"messaging_product\":\"whatsapp\"", StringComparison.Ordinal))
        {
            acceptedId = _nextMessageIds.TryDequeue(out var preset) ? preset : "wamid.HBgL" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            // A customer who hides their number is sent to by BSUID ("recipient" instead of "to"), and Meta answers with their user_id.
            var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
            var contact = root.TryGetProperty("to", out var to)
                ? $"{{\"input\":\"{to.GetString()}\",\"wa_id\":\"{to.GetString()}\"}}"
                : $"{{\"input\":\"{root.GetProperty("recipient").GetString()}\",\"user_id\":\"{root.GetProperty("recipient").GetString()}\"}}";
            answer = Results.Text($"{{\"messaging_product\":\"whatsapp\",\"contacts\":[{contact}],\"messages\":[{{\"id\":\"{acceptedId}\"}}]}}",
                "application/json", Encoding.UTF8);
        }
        else
        {
            acceptedId = _nextMessageIds.TryDequeue(out var preset) ? preset : "m_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
            var recipient = json is not null
                ? System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("recipient").GetProperty("id").GetString()
                : System.Text.Json.JsonDocument.Parse(fields["recipient"]).RootElement.GetProperty("id").GetString();
            answer = Results.Text($"{{\"recipient_id\":\"{recipient}\",\"message_id\":\"{acceptedId}\"}}", "application/json", Encoding.UTF8);
        }
        var status = answer is IStatusCodeHttpResult { StatusCode: { } s } ? s : 200;
        _sends.Enqueue(new FakeGraphSend(request.Path, node, endpoint, json, fields, fileName, fileType, file, status, acceptedId));
        if (HoldSends is { } hold) await hold.Task;
        await answer.ExecuteAsync(context);
    }

    private IResult Profile(string userId, HttpRequest request)
    {
        _profileRequests.AddOrUpdate(userId, 1, (_, n) => n + 1);
        if (!HasToken(request)) return Error(401, BadTokenBody);
        if (ProfileOutage) return Error(500, ServerErrorBody);
        if (_profileRefusals.TryGetValue(userId, out var code)) return ProfileError(code);
        if (!_profiles.TryGetValue(userId, out var fields)) return Error(400, UnknownObjectBody(userId));
        var answer = new Dictionary<string, string?> { ["id"] = userId };
        foreach (var name in request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (fields.TryGetValue(name, out var value)) answer[name] = value;
        }
        return Results.Text(System.Text.Json.JsonSerializer.Serialize(answer), "application/json", Encoding.UTF8);
    }

    /// <summary>Meta's profile refusals, in the Graph error body's shape with the texts the reference quotes.</summary>
    public static IResult ProfileError(int code) => code switch
    {
        2018218 => Error(400, "{\"error\":{\"message\":\"(#2018218) No profile available for this user.\",\"type\":\"OAuthException\",\"code\":2018218,\"fbtrace_id\":\"AfK3rT0mJq8Lx2VbN5cYp1W\"}}"),
        230 => Error(400, "{\"error\":{\"message\":\"(#230) User consent is required to access user profile\",\"type\":\"OAuthException\",\"code\":230,\"fbtrace_id\":\"AmP4sQ1nKr9My3WcO6dZq2X\"}}"),
        _ => SendError(code),
    };

    /// <summary>Meta's error bodies for sends: the reference's 130429 byte for byte, the others in the same shape with Meta's texts.</summary>
    public static IResult SendError(int code) => code switch
    {
        130429 => Error(400, RateLimitBody),
        131056 => Error(400, "{\"error\":{\"message\":\"(#131056) (Business Account, Consumer Account) pair rate limit hit\",\"type\":\"OAuthException\",\"code\":131056,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.\"},\"fbtrace_id\":\"AvH2m1q0e6T1y2Qp7Lk3ZsX\"}}"),
        131047 => Error(400, "{\"error\":{\"message\":\"(#131047) Re-engagement message\",\"type\":\"OAuthException\",\"code\":131047,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Message failed to send because more than 24 hours have passed since the customer last replied to this number.\"},\"fbtrace_id\":\"AbT7pR2xQ0nL4kMf8sYw1Zc\"}}"),
        100 => Error(400, "{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\",\"code\":100,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Parameter value is not valid\"},\"fbtrace_id\":\"AqW3e4R5t6Y7u8I9o0P1a2S\"}}"),
        190 => Error(401, BadTokenBody),
        2 => Error(500, ServerErrorBody),
        _ => Error(400, $"{{\"error\":{{\"message\":\"(#{code}) Error {code}\",\"type\":\"OAuthException\",\"code\":{code},\"fbtrace_id\":\"AzZ9y8X7w6V5u4T3s2R1q0P\"}}}}"),
    };

    private bool HasToken(HttpRequest request) => request.Headers.Authorization.ToString() == "Bearer " + AccessToken;

    private static bool IsVersion(string version) =>
        version.Length > 1 && version[0] == 'v' && decimal.TryParse(version[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    private static IResult Failure(FakeGraphMedia media, HttpResponse response)
    {
        if (media.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return media.Failure == FakeGraphFailure.RateLimit ? Error(400, RateLimitBody) : Error(500, ServerErrorBody);
    }

    private static IResult Error(int status, string body) => Results.Text(body, "application/json", Encoding.UTF8, status);

    private static string UnknownObjectBody(string id) =>
        $"{{\"error\":{{\"message\":\"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. " +
        "Please read the Graph API documentation at https:\\/\\/developers.facebook.com\\/docs\\/graph-api\",\"type\":\"GraphMethodException\",\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"AZ3bQ9f4xg2fDqQ8Hk1xW7n\"}}";

    private static string UnknownPathBody(string version, string id) =>
        $"{{\"error\":{{\"message\":\"Unknown path components: \\/{version}\\/{id}\",\"type\":\"OAuthException\",\"code\":2500,\"fbtrace_id\":\"AbC1dEf2GhI3jKl4MnO5pQr\"}}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
