using Flexoraa.FrontendApi.Identity;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// The one place every <c>/api</c> request passes before authentication or any endpoint sees it: query names and
/// values, route values, the headers we read, and JSON bodies (UTF-8, NUL, lone surrogates, duplicate keys) are checked
/// here, and a refusal is a 400 whose <c>errors</c> name the field.
/// A middleware rather than an endpoint filter or JSON converter because several endpoints read their bodies themselves
/// (replies, conversation and canned-response patches) and API keys are looked up during authentication, before any
/// filter runs; a check that only bound parameters passed through would miss those. Multipart forms are not read here,
/// because only the endpoint knows how large an upload it allows; the reply reader and the lead import, the endpoints that
/// take multipart (the import also takes a raw CSV body), apply <see cref="UnsafeText"/> to every form field and file name
/// instead.
/// </summary>
public sealed class EdgeInputMiddleware(RequestDelegate next)
{
    private static readonly string[] CheckedHeaders = [ApiKeyAuthenticationHandler.HeaderName, "Authorization", "Idempotency-Key"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        if (await FirstProblemAsync(context) is { } problem)
        {
            // A body that is not JSON at all keeps the title every other malformed body gets (ApiExceptionHandler).
            var errors = new Dictionary<string, string[]> { [problem.Field] = [problem.Message] };
            var result = problem.Field == "body"
                ? TypedResults.ValidationProblem(errors, title: "Malformed JSON", detail: problem.Message)
                : ApiProblems.Validation(errors);
            await result.ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private static async Task<(string Field, string Message)?> FirstProblemAsync(HttpContext context)
    {
        var request = context.Request;
        foreach (var (name, values) in request.Query)
        {
            if (UnsafeText.Problem(name) is { } keyProblem) return ("query", $"A query parameter name {keyProblem}");
            foreach (var value in values)
            {
                if (UnsafeText.Problem(value) is { } problem) return (name, $"'{name}' {problem}");
            }
        }
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && UnsafeText.Problem(text) is { } problem) return (name, $"'{name}' {problem}");
        }
        if (UnsafeText.Problem(request.Path.Value) is { } pathProblem) return ("path", $"The path {pathProblem}");
        foreach (var header in CheckedHeaders)
        {
            foreach (var value in request.Headers[header])
            {
                if (UnsafeText.Problem(value) is { } problem) return (header, $"'{header}' {problem}");
            }
        }
        if (IsJsonBody(request))
        {
            var body = await BufferAsync(request, context.RequestAborted);
            if (body.Length > 0 && JsonBodyScan.FirstProblem(body) is { } problem) return problem;
        }
        return null;
    }

    /// <summary>
    /// Every body except a form is read as JSON by our endpoints (some without insisting on the content type),
    /// so every such body is scanned.
    /// </summary>
    private static bool IsJsonBody(HttpRequest request) =>
        !request.HasFormContentType && !IsFileUpload(request)
        && (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentLength is null && request.ContentType is not null);

    /// <summary>
    /// A raw CSV upload to the lead import, which streams and checks its file itself (it may be 100 MB, and it is not
    /// JSON); any other endpoint sent such a body still gets it scanned as JSON.
    /// </summary>
    private static bool IsFileUpload(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1/lead-imports") && HttpMethods.IsPost(request.Method)
        && request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() is "text/csv" or "text/plain" or "application/csv" or "application/octet-stream" or "text/tab-separated-values";

    private static async Task<byte[]> BufferAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The body stays readable for the endpoint; Kestrel's body-size limit still applies to this read (413 when over).
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        request.Body.Position = 0;
        return copy.ToArray();
    }
}
