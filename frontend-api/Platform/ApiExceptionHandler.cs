using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Turns the exceptions that reach the top into problem details. Bad input is a 4xx that names the field; only a
/// transient failure of the database or the cluster is a 503 with <c>Retry-After</c>; anything else (a SQL error, a
/// constraint violation, an internal invariant) is a bug, so a 500 that says nothing of the insides and carries the
/// <c>traceId</c> under which the full exception is logged. No message of an exception reaches the client: they name
/// internal types and parameters.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = Classify(exception);
        if (status == StatusCodes.Status413PayloadTooLarge && httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit)
        {
            // The limit differs by path (webhooks take more than the API), so say which one applied.
            detail = $"The request body is larger than the {RequestBodyLimits.Describe(limit)} this endpoint accepts.";
        }
        if (status >= 500) logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        else logger.LogInformation("Request {Method} {Path} rejected: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) httpContext.Response.Headers.RetryAfter = "5";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    private static (int Status, string Title, string Detail, string? Field) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "Request body too large", "The request body is larger than this endpoint accepts.", null),
        BadHttpRequestException { InnerException: JsonException json } => MalformedJson(json),
        BadHttpRequestException bad => Binding(bad),
        JsonException json => MalformedJson(json),
        _ when IsTransient(exception) => (503, "Temporarily unavailable", "A backing service did not answer; retry shortly.", null),
        _ => (500, "Internal error", "The server failed to handle the request; quote the traceId when you report it.", null),
    };

    /// <summary>Only failures that a retry can cure: the connection, a timeout, a silo that is going or gone.</summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or SocketException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException => true,
        Orleans.Runtime.OrleansException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    private static (int, string, string, string?) MalformedJson(JsonException json)
    {
        var field = json.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : "body";
        if (field.Length == 0) field = "body";
        // The serializer's own message names the .NET type it wanted; say what was wrong in the API's terms instead.
        var detail = json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"'{field}' has the wrong type or format for this field."
            : json.LineNumber is { } line
                ? $"The request body is not valid JSON (line {line + 1}, byte {(json.BytePositionInLine ?? 0) + 1})."
                : "The request body is not valid JSON for this endpoint.";
        return (400, "Malformed JSON", detail, field);
    }

    /// <summary>A query, route or body value the binder could not read: named by its parameter, without the binder's wording.</summary>
    private static (int, string, string, string?) Binding(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return (415, "Unsupported media type", "The request body must be application/json.", null);
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && !bad.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            return (400, "Bad request", "The request body is missing or cannot be read; send a JSON object.", "body");
        }
        var name = ParameterName().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : null;
        return name is null
            ? (bad.StatusCode, "Bad request", "The request could not be read.", null)
            : (400, "Bad request", $"'{name}' has an invalid value.", name);
    }

    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)"?""")]
    private static partial Regex ParameterName();
}
