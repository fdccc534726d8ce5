using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

/// <summary>
/// Walks the OpenAPI document like the cross-tenant probe and, as the tenant's Owner, sends every <c>/api/v1</c> operation
/// hostile values: one path or query parameter at a time, and one body field at a time in an otherwise plausible body
/// generated from the schema (NUL, lone surrogates, invalid UTF-8, 1 MB strings, wrong types, huge and negative numbers,
/// garbage and crafted cursors), plus whole bodies that are duplicate-keyed, invalid UTF-8, truncated JSON or truncated
/// multipart. Bad input is the client's fault: every answer must be below 500 and show nothing of the server's insides.
/// </summary>
public sealed class HostileInputSweepTests : IAsyncLifetime
{
    /// <summary>Text that only a leaked stack trace, exception or internal type name would put in a response.</summary>
    private static readonly string[] Internals = ["   at ", "Exception", "Npgsql", "Orleans", "System.", "Did you mean"];

    /// <summary>Already URL-escaped, because a lone surrogate or a stray byte has no other way into a URL.</summary>
    private static readonly string[] HostileUrlValues =
    [
        "%00", "a%00b", "%ED%A0%80", "%FF%FE", new string('a', 4000),
        "-1", "0", "99999999999999999999", "1e400", "NaN", "%7B%7D",
    ];

    private static readonly string[] HostileCursors =
    [
        "e30", Cursor("""{"id":null}"""), Cursor("""{"createdAt":"2024-01-01T00:00:00+05:00","id":"x"}"""),
        Cursor("""{"lastMessageAt":"2024-01-01T00:00:00+05:00","id":"x"}"""), Cursor("""{"occurredAt":null,"id":-1}"""),
        Cursor("""{"shortcut":null}"""), Cursor("[]"), Cursor("null"), "!!!", "%00",
    ];

    /// <summary>Raw JSON for one field: the bytes are spliced in as they are, so invalid UTF-8 reaches the server.</summary>
    private static readonly byte[][] HostileJsonValues =
    [
        Encoding.UTF8.GetBytes("\"\\u0000\""), Encoding.UTF8.GetBytes("\"a\\u0000b\""), Encoding.UTF8.GetBytes("\"\\ud800\""),
        Encoding.UTF8.GetBytes("\"x\\udc00y\""), [(byte)'"', 0xFF, 0xFE, (byte)'"'], [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
        Encoding.UTF8.GetBytes("12345"), Encoding.UTF8.GetBytes("true"), Encoding.UTF8.GetBytes("[]"), Encoding.UTF8.GetBytes("{}"),
        Encoding.UTF8.GetBytes("null"), Encoding.UTF8.GetBytes("-1"), Encoding.UTF8.GetBytes("99999999999999999999"),
        Encoding.UTF8.GetBytes("1e400"), Encoding.UTF8.GetBytes("\"e30\""),
    ];

    // Just under the 1 MiB body limit, so the endpoint itself has to refuse its length.
    private static readonly byte[] MegabyteString = Encoding.UTF8.GetBytes("\"" + new string('a', 1_000_000) + "\"");

    private const string Marker = "\u0001hostile\u0001";
    private static readonly byte[] MarkerJson = JsonSerializer.SerializeToUtf8Bytes(Marker);

    private TestFrontend _frontend = null!;
    private TestUser _owner = null!;

    public async Task InitializeAsync()
    {
        _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());
        _owner = await TestUser.SignUpAsync(_frontend, company: "Sweep Traders");
    }

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Every_api_operation_answers_hostile_input_below_500_and_without_internals()
    {
        using var document = JsonDocument.Parse(await _frontend.Http.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var ids = await SeededTenant.CreateAsync(_frontend, _owner, "Sweep Traders");
        var failures = new List<string>();
        var sent = 0;

        // Deletions go last, so that what they remove is still there for every other operation.
        var operations = root.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete").Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .OrderBy(o => o.Method == "delete")
            .ToList();
        Assert.NotEmpty(operations);

        foreach (var (template, methodName, operation) in operations)
        {
            var method = new HttpMethod(methodName.ToUpperInvariant());
            var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            var body = BodySchema(root, operation);
            var baseline = body is { } schema ? Sample(root, schema, 0) : null;
            var sendsBody = method != HttpMethod.Get && method != HttpMethod.Delete;

            async Task SendAsync(string what, string url, HttpContent? content)
            {
                using var request = new HttpRequestMessage(method, url) { Content = content };
                HttpResponseMessage response;
                try
                {
                    response = await _owner.Http.SendAsync(request);
                }
                catch (HttpRequestException e) when (e.InnerException is IOException)
                {
                    // The server refused the body before it was all sent (a 413 on an oversized upload): a refusal, not a failure.
                    sent++;
                    return;
                }
                using var _ = response;
                var text = await response.Content.ReadAsStringAsync();
                sent++;
                if ((int)response.StatusCode >= 500) failures.Add($"{method} {template} with {what} answered {(int)response.StatusCode}: {Shorten(text)}");
                else if (Internals.FirstOrDefault(i => text.Contains(i, StringComparison.Ordinal)) is { } leak)
                {
                    failures.Add($"{method} {template} with {what} showed '{leak}': {Shorten(text)}");
                }
            }

            var realPath = OpenApiPathTemplate.Fill(template, name => ids.TryGetValue(name, out var v) ? Uri.EscapeDataString(v) : null, out var missing);
            if (realPath is null)
            {
                failures.Add($"The sweep knows no '{missing}' for {template}; add one to {nameof(SeededTenant)}.");
                continue;
            }
            HttpContent? BaselineContent() => sendsBody ? Json(baseline is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(baseline)) : null;

            foreach (var name in OpenApiPathTemplate.Parameters(template))
            {
                foreach (var value in HostileUrlValues)
                {
                    var url = OpenApiPathTemplate.Fill(template, n => n == name ? value : Uri.EscapeDataString(ids[n]), out _)!;
                    await SendAsync($"path {{{name}}}={Shorten(value)}", url, BaselineContent());
                }
            }

            foreach (var parameter in parameters.Where(x => x.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                var values = name is "cursor" or "before" ? HostileCursors.Concat(HostileUrlValues) : HostileUrlValues;
                foreach (var value in values)
                {
                    await SendAsync($"?{name}={Shorten(value)}", $"{realPath}?{Uri.EscapeDataString(name)}={value}", BaselineContent());
                }
            }

            if (!sendsBody) continue;

            if (baseline is not null)
            {
                var fields = Fields(baseline, "").ToList();
                for (var f = 0; f < fields.Count; f++)
                {
                    var (path, node) = fields[f];
                    var original = node.Replace(Marker);
                    var template1 = JsonSerializer.SerializeToUtf8Bytes(baseline);
                    node.Restore(original);
                    var values = f == 0 ? HostileJsonValues.Append(MegabyteString) : HostileJsonValues;
                    foreach (var value in values)
                    {
                        await SendAsync($"body {path}={Shorten(Encoding.UTF8.GetString(value))}", realPath, Json(Splice(template1, value)));
                    }
                }
            }

            var firstField = baseline is JsonObject o && o.Count > 0 ? o.First().Key : "name";
            var whole = new (string What, byte[] Bytes)[]
            {
                ("duplicate keys", Encoding.UTF8.GetBytes($"{{\"{firstField}\":\"a\",\"{firstField}\":\"b\"}}")),
                ("a duplicate key differing by case", Encoding.UTF8.GetBytes($"{{\"{firstField}\":\"a\",\"{firstField.ToUpperInvariant()}\":\"b\"}}")),
                ("raw invalid UTF-8", [0xFF, 0xFE]),
                ("invalid UTF-8 in a key", [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
                ("a NUL in a key", Encoding.UTF8.GetBytes("{\"a\\u0000\":1}")),
                ("a lone surrogate in a key", Encoding.UTF8.GetBytes("{\"\\ud800\":1}")),
                ("truncated JSON", Encoding.UTF8.GetBytes($"{{\"{firstField}\":")),
                ("an array", Encoding.UTF8.GetBytes("[]")),
                ("a string", Encoding.UTF8.GetBytes("\"x\"")),
                ("an empty body", []),
            };
            foreach (var (what, bytes) in whole) await SendAsync($"a body of {what}", realPath, Json(bytes));

            await SendAsync("a truncated multipart body", realPath, TruncatedMultipart());
            await SendAsync("a multipart file name with NUL", realPath, MultipartWithFileName("a\0b.png"));
            await SendAsync("a multipart file name with a lone surrogate", realPath, MultipartWithFileName("a\ud800.png"));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(200))}");

        // Not blind: the Owner was still signed in and still an Owner at the end, so every answer above was a real one.
        var me = await _owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("owner", me.GetProperty("role").GetString());
    }

    private static JsonElement? BodySchema(JsonElement root, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content)) return null;
        foreach (var type in content.EnumerateObject())
        {
            if (type.Name.Contains("json", StringComparison.Ordinal) && type.Value.TryGetProperty("schema", out var schema)) return Resolve(root, schema);
        }
        return null;
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    /// <summary>A plausible value of the schema: enough for the endpoint to read the body and reach its field checks.</summary>
    private static JsonNode? Sample(JsonElement root, JsonElement schema, int depth)
    {
        schema = Resolve(root, schema);
        if (depth > 4) return null;
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                var chosen = options.EnumerateArray().Select(x => Resolve(root, x)).FirstOrDefault(x => TypeOf(x) != "null");
                return chosen.ValueKind == JsonValueKind.Undefined ? null : Sample(root, chosen, depth + 1);
            }
        }
        if (schema.TryGetProperty("enum", out var values)) return JsonNode.Parse(values.EnumerateArray().First().GetRawText());
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return TypeOf(schema) switch
        {
            "object" => SampleObject(root, schema, depth),
            "array" => schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(root, items, depth + 1)) : new JsonArray(),
            "integer" => 1,
            "number" => 1.5,
            "boolean" => false,
            "string" => format switch
            {
                "date-time" => DateTimeOffset.UtcNow.ToString("O"),
                "date" => "2025-01-01",
                "email" => "sweep@example.com",
                "uri" => "https://example.com/",
                "uuid" => Guid.NewGuid().ToString(),
                _ => "sweep",
            },
            _ => "sweep",
        };
    }

    private static JsonObject SampleObject(JsonElement root, JsonElement schema, int depth)
    {
        var result = new JsonObject();
        if (!schema.TryGetProperty("properties", out var properties)) return result;
        foreach (var property in properties.EnumerateObject()) result[property.Name] = Sample(root, property.Value, depth + 1);
        return result;
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("properties", out _) ? "object" : null;
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    /// <summary>Every field of the baseline (objects' properties and arrays' items), with a handle to swap its value.</summary>
    private static IEnumerable<(string Path, Slot Slot)> Fields(JsonNode node, string prefix)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(p => p.Key).ToList())
            {
                var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                yield return (path, new Slot(obj, name, -1));
                if (obj[name] is { } child) foreach (var nested in Fields(child, path)) yield return nested;
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"{prefix}[{i}]";
                yield return (path, new Slot(null, null, i) { Array = array });
                if (array[i] is { } child) foreach (var nested in Fields(child, path)) yield return nested;
            }
        }
    }

    private sealed record Slot(JsonObject? Object, string? Name, int Index)
    {
        public JsonArray? Array { get; init; }

        public JsonNode? Replace(string value)
        {
            if (Object is not null)
            {
                var old = Object[Name!];
                Object[Name!] = value;
                return old;
            }
            var previous = Array![Index];
            Array[Index] = value;
            return previous;
        }

        public void Restore(JsonNode? value)
        {
            if (Object is not null) Object[Name!] = value;
            else Array![Index] = value;
        }
    }

    private static byte[] Splice(byte[] json, byte[] value)
    {
        var at = json.AsSpan().IndexOf(MarkerJson);
        return [.. json.AsSpan(0, at), .. value, .. json.AsSpan(at + MarkerJson.Length)];
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static ByteArrayContent TruncatedMultipart()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(
            "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nhalf a fi"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=sweep");
        return content;
    }

    private static ByteArrayContent MultipartWithFileName(string fileName)
    {
        var header = "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''" + Uri.EscapeDataString(fileName.Replace("\ud800", "", StringComparison.Ordinal)) +
                     (fileName.Contains('\ud800', StringComparison.Ordinal) ? "%ED%A0%80" : "") + "\r\nContent-Type: image/png\r\n\r\n";
        var content = new ByteArrayContent([.. Encoding.ASCII.GetBytes(header), 0x89, (byte)'P', (byte)'N', (byte)'G', .. Encoding.ASCII.GetBytes("\r\n--sweep--\r\n")]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=sweep");
        return content;
    }

    private static string Cursor(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
