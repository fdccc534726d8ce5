using Microsoft.AspNetCore.Http.Features;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// How large a request body may be: <see cref="ApiBytes"/> for everything (Kestrel's own limit, 1 MiB) and
/// <see cref="WebhookBytes"/> for <c>/webhooks/*</c>. Meta delivers up to 1,000 changes in one POST and a webhook that
/// is refused is retried with the same body, so a batch over the limit would never get in; the API's bodies are small
/// JSON and stay at 1 MiB. The larger limit is set per request before anything reads the body, so the API never accepts
/// more than its own.
/// </summary>
public sealed record RequestBodyLimits(long ApiBytes, long WebhookBytes)
{
    public const long DefaultApiBytes = 1024 * 1024;

    /// <summary>
    /// 16 MiB: a WhatsApp change is 1–3 KB (a message with its contact and metadata, a status with pricing) and rarely
    /// more than 8 KB (an order or an interactive reply with long texts), so 1,000 changes of the largest kind come to
    /// about 8 MB; twice that leaves room without letting one request hold much memory (the body is buffered whole to
    /// check its signature).
    /// </summary>
    public const long DefaultWebhookBytes = 16 * 1024 * 1024;

    public const string WebhookPath = "/webhooks";

    public static RequestBodyLimits From(IConfiguration configuration) => new(
        configuration.GetValue("Flexoraa:MaxRequestBodyBytes", DefaultApiBytes),
        configuration.GetValue("Flexoraa:Meta:MaxWebhookBodyBytes", DefaultWebhookBytes));

    /// <summary>Raises the limit for webhook requests; must run before anything reads a body.</summary>
    public RequestDelegate Apply(RequestDelegate next) => context =>
    {
        if (context.Request.Path.StartsWithSegments(WebhookPath)
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = WebhookBytes;
        }
        return next(context);
    };

    /// <summary>"16 MiB (16777216 bytes)" — the figure a client needs to split its request.</summary>
    public static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB ({bytes} bytes)"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB ({bytes} bytes)"
        : $"{bytes} bytes";
}
