using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Lints the served OpenAPI document, operation by operation, so that what API consumers and code generators rely on
/// (ids, security, error bodies, enums, integer ids) holds for every endpoint, including the next one added.
/// </summary>
public sealed class OpenApiDocumentTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
    private static readonly string[] ProblemSchemas = ["#/components/schemas/ProblemDetails", "#/components/schemas/HttpValidationProblemDetails"];

    /// <summary>The whole anonymous surface: signing up and in, accepting an invitation, and Meta's webhooks.</summary>
    private static readonly string[] AnonymousOperations =
    [
        "Signup", "ConfirmSignup", "Login", "RefreshTokens", "Logout", "StartGoogleSignIn", "FinishGoogleSignIn", "AcceptInvitation",
        "VerifyMetaWebhook", "ReceiveMetaWebhook",
    ];

    private readonly TestFrontend _frontend = fixture.Frontend;

    private async Task<JsonDocument> DocumentAsync() => JsonDocument.Parse(await _frontend.Http.GetStringAsync("/openapi/v1.json"));

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonDocument document)
    {
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                yield return (path.Name, operation.Name.ToUpperInvariant(), operation.Value);
            }
        }
    }

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_and_a_summary()
    {
        using var document = await DocumentAsync();
        var failures = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(document))
        {
            if (!operation.TryGetProperty("operationId", out var id) || id.GetString() is not { Length: > 0 } name)
            {
                failures.Add($"{method} {path} has no operationId; give it .WithName(...).");
                continue;
            }
            if (seen.TryGetValue(name, out var other)) failures.Add($"{method} {path} reuses the operationId '{name}' of {other}.");
            seen[name] = $"{method} {path}";
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                failures.Add($"{method} {path} has no summary; give it .WithSummary(...).");
            }
        }
        Assert.True(seen.Count > 40, $"Only {seen.Count} operations in the document.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Every_operation_names_its_security_and_only_sign_in_invitations_and_webhooks_are_anonymous()
    {
        using var document = await DocumentAsync();
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty("bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("apiKey", schemes.GetProperty("apiKey").GetProperty("type").GetString());
        Assert.Equal("header", schemes.GetProperty("apiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());

        var failures = new List<string>();
        var anonymous = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            if (!operation.TryGetProperty("security", out var security) || security.ValueKind != JsonValueKind.Array)
            {
                failures.Add($"{method} {path} has no security requirement and no explicit 'security: []'.");
                continue;
            }
            var id = operation.GetProperty("operationId").GetString()!;
            if (security.GetArrayLength() == 0)
            {
                anonymous.Add(id);
                continue;
            }
            var named = security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToHashSet();
            if (!named.SetEquals(["bearer", "apiKey"])) failures.Add($"{method} {path} accepts [{string.Join(", ", named)}], not the bearer token or the API key.");
            if (!operation.GetProperty("responses").TryGetProperty("401", out _)) failures.Add($"{method} {path} needs a caller but lists no 401.");
            if (!operation.GetProperty("responses").TryGetProperty("429", out _)) failures.Add($"{method} {path} is rate limited but lists no 429.");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(AnonymousOperations.Order(StringComparer.Ordinal), anonymous.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_operation_lists_a_4xx_and_every_error_response_is_a_problem_document()
    {
        using var document = await DocumentAsync();
        var failures = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            if (!responses.Any(r => r.Name.StartsWith('4'))) failures.Add($"{method} {path} lists no 4xx response.");
            if (!responses.Any(r => r.Name == "503")) failures.Add($"{method} {path} lists no 503.");
            if (path.Contains('{', StringComparison.Ordinal) && !responses.Any(r => r.Name == "404")) failures.Add($"{method} {path} names a resource but lists no 404.");
            foreach (var response in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                if (string.IsNullOrWhiteSpace(response.Value.GetProperty("description").GetString())) failures.Add($"{method} {path} {response.Name} has no description.");
                var reference = response.Value.TryGetProperty("content", out var content)
                    && content.TryGetProperty("application/problem+json", out var media)
                    && media.GetProperty("schema").TryGetProperty("$ref", out var r) ? r.GetString() : null;
                if (!ProblemSchemas.Contains(reference)) failures.Add($"{method} {path} {response.Name} is not an application/problem+json problem document.");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Every_parameter_is_described_and_every_path_parameter_required()
    {
        using var document = await DocumentAsync();
        var failures = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
            foreach (var name in OpenApiPathTemplate.Parameters(path))
            {
                var parameter = parameters.FirstOrDefault(p => p.GetProperty("in").GetString() == "path" && p.GetProperty("name").GetString() == name);
                if (parameter.ValueKind == JsonValueKind.Undefined) failures.Add($"{method} {path} does not declare its path parameter '{name}'.");
                else if (!parameter.TryGetProperty("required", out var required) || !required.GetBoolean()) failures.Add($"{method} {path}: '{name}' is not required.");
            }
            foreach (var parameter in parameters)
            {
                if (!parameter.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
                {
                    failures.Add($"{method} {path}: {parameter.GetProperty("in").GetString()} parameter '{parameter.GetProperty("name").GetString()}' has no description.");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Status_kind_direction_channel_and_role_are_enums_and_no_number_is_typed_as_a_string()
    {
        using var document = await DocumentAsync();
        var failures = new List<string>();
        foreach (var schema in document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            Walk(schema.Value, schema.Name, failures);
        }
        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var parameter in operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                Walk(parameter.GetProperty("schema"), $"{method} {path} ?{parameter.GetProperty("name").GetString()}", failures);
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        var message = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("MessageView").GetProperty("properties");
        Assert.Equal("integer", message.GetProperty("id").GetProperty("type").GetString());
        Assert.Equal("int64", message.GetProperty("id").GetProperty("format").GetString());
        Assert.Contains("note", message.GetProperty("direction").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    private static readonly string[] EnumProperties = ["status", "kind", "direction", "channel", "role"];

    private static void Walk(JsonElement schema, string at, List<string> failures)
    {
        if (schema.ValueKind != JsonValueKind.Object) return;
        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
        {
            var types = type.EnumerateArray().Select(t => t.GetString()).ToHashSet();
            if (types.Contains("string") && (types.Contains("integer") || types.Contains("number"))) failures.Add($"{at} is typed as {string.Join(" or ", types)}.");
        }
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var value = property.Value;
                var isString = value.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.String ? t.GetString() == "string" : t.EnumerateArray().Any(x => x.GetString() == "string"));
                if (EnumProperties.Contains(property.Name) && isString && !value.TryGetProperty("enum", out _))
                {
                    failures.Add($"{at}.{property.Name} is a string without its enum values.");
                }
                Walk(value, $"{at}.{property.Name}", failures);
            }
        }
        foreach (var nested in new[] { "items", "additionalProperties" })
        {
            if (schema.TryGetProperty(nested, out var inner)) Walk(inner, $"{at}[{nested}]", failures);
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options)) foreach (var option in options.EnumerateArray()) Walk(option, at, failures);
        }
        if (at.EndsWith("?channel", StringComparison.Ordinal) && !schema.TryGetProperty("enum", out _)) failures.Add($"{at} has no enum values.");
    }

    [Fact]
    public async Task The_reply_documents_its_multipart_form_and_idempotency_key_and_the_webhook_its_body_and_signature()
    {
        using var document = await DocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        var reply = paths.GetProperty("/api/v1/conversations/{conversationId}/messages").GetProperty("post");
        var content = reply.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        var form = content.GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.True(form.GetProperty("properties").TryGetProperty("caption", out _));
        Assert.True(form.GetProperty("properties").TryGetProperty("replyToMessageId", out _));
        Assert.Equal(["file"], form.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(reply.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == "Idempotency-Key");
        foreach (var status in new[] { "202", "409", "413", "422" }) Assert.True(reply.GetProperty("responses").TryGetProperty(status, out _), $"The reply lists no {status}.");

        var webhook = paths.GetProperty("/webhooks/{channel}").GetProperty("post");
        var signature = Assert.Single(webhook.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("in").GetString() == "header");
        Assert.Equal("X-Hub-Signature-256", signature.GetProperty("name").GetString());
        Assert.True(signature.GetProperty("required").GetBoolean());
        Assert.True(webhook.GetProperty("responses").TryGetProperty("401", out _));
        var bodyRef = webhook.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var body = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(bodyRef.Split('/')[^1]).GetProperty("properties");
        Assert.Equal("string", body.GetProperty("object").GetProperty("type").GetString());
        Assert.Equal("array", body.GetProperty("entry").GetProperty("type").GetString());

        var verify = paths.GetProperty("/webhooks/{channel}").GetProperty("get");
        Assert.Equal(["hub.challenge", "hub.mode", "hub.verify_token"],
            verify.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }
}
