using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Turns the exceptions that reach the top into problem details. Bad input is always a 4xx that names the problem;
/// an unreachable database or cluster is a 503 (retryable); only a genuine bug is a 500.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Classify(exception);
        if (status >= 500) logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        else logger.LogInformation("Request {Method} {Path} rejected: {Detail}", httpContext.Request.Method, httpContext.Request.Path, detail);

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "Request body too large", "The request body is larger than this endpoint accepts."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "Malformed JSON", $"The request body is not valid JSON for this endpoint{(json.Path is { } p ? $" (at {p})" : "")}: {FirstSentence(json.Message)}"),
        BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
        JsonException json => (400, "Malformed JSON", $"The request body is not valid JSON{(json.Path is { } p ? $" (at {p})" : "")}."),
        ArgumentException argument => (400, "Invalid request", argument.Message),
        NpgsqlException or TimeoutException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException =>
            (503, "Temporarily unavailable", "A backing service did not answer; retry shortly."),
        _ => (500, "Internal error", "The server failed to handle the request."),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
