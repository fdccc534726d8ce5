using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Outbound;
using Microsoft.AspNetCore.Http.Features;

namespace Flexoraa.FrontendApi.Replies;

/// <summary>
/// Reads and validates a reply, JSON or multipart, for the conversation's channel. Every refusal names its field
/// (<c>text</c>, <c>template.components[0].type</c>, <c>file</c>...); a file over the channel's limit is 413.
/// </summary>
public static partial class ReplyRequestReader
{
    public const int MaxTemplateNameLength = 512;
    public const int MaxFileNameLength = 255;

    private static readonly HashSet<string> ComponentTypes = ["body", "header", "button"];
    private static readonly HashSet<string> ParameterTypes = ["text", "currency", "date_time", "image", "document", "video", "location", "payload", "coupon_code", "action"];

    /// <summary>The outcome: a reply, or the field and message of the first problem, with 413 for a file too large.</summary>
    public sealed record Result(ParsedReply? Reply, string? Field = null, string? Error = null, bool TooLarge = false);

    public static async Task<Result> ReadAsync(HttpRequest request, ChannelKind channel, long maxUploadBytes, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType) return await ReadFormAsync(request, channel, maxUploadBytes, cancellationToken);

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new Result(null, "body", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        if (body.ValueKind != JsonValueKind.Object) return new Result(null, "body", "The body must be a JSON object with 'text' or 'template'.");

        if (!TryOptionalString(body, "replyToMessageId", out var replyTo, out var problem)) return new Result(null, "replyToMessageId", problem);
        var hasText = body.TryGetProperty("text", out var textElement) && textElement.ValueKind != JsonValueKind.Null;
        var hasTemplate = body.TryGetProperty("template", out var template) && template.ValueKind != JsonValueKind.Null;
        if (hasText && hasTemplate) return new Result(null, "template", "Send either 'text' or 'template', not both.");
        if (hasTemplate)
        {
            if (channel != ChannelKind.WhatsApp) return new Result(null, "template", $"Templates are a WhatsApp feature; this {ChannelKindNames.Of(channel)} conversation takes 'text' or a file.");
            return ReadTemplate(template, replyTo);
        }
        if (!hasText) return new Result(null, "text", "'text' is required (or 'template' on WhatsApp, or a file as multipart/form-data).");
        if (textElement.ValueKind != JsonValueKind.String) return new Result(null, "text", "'text' must be a string.");
        var text = textElement.GetString()!;
        if (string.IsNullOrWhiteSpace(text)) return new Result(null, "text", "'text' must not be empty.");
        if (ReplyLimits.TextProblem(channel, text) is { } tooLong) return new Result(null, "text", tooLong);
        return new Result(new ParsedReply(OutboundKind.Text, text, replyTo, null, null, null, null, null, null));
    }

    private static async Task<Result> ReadFormAsync(HttpRequest request, ChannelKind channel, long maxUploadBytes, CancellationToken cancellationToken)
    {
        // The API's small default body limit is for JSON; an upload may be as large as the largest file we accept.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxUploadBytes + 64 * 1024;
        if (request.ContentLength is { } announced && announced > maxUploadBytes + 64 * 1024)
        {
            return new Result(null, "file", $"The upload is larger than the {maxUploadBytes} bytes allowed.", TooLarge: true);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxUploadBytes + 64 * 1024 }, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Result(null, "file", $"The upload is larger than the {maxUploadBytes} bytes allowed.", TooLarge: true);
        }
        catch (InvalidDataException e)
        {
            return e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? new Result(null, "file", $"The upload is larger than the {maxUploadBytes} bytes allowed.", TooLarge: true)
                : new Result(null, "body", "The multipart body is malformed.");
        }
        catch (IOException)
        {
            // A body that ends before its closing boundary (or a client that went away mid-upload).
            return new Result(null, "body", "The multipart body is incomplete: it ended before its closing boundary.");
        }
        if (UnsafeFormText(form) is { } unsafeText) return unsafeText;

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) return new Result(null, "file", "A non-empty 'file' part is required.");
        var mimeType = file.ContentType;
        if (string.IsNullOrWhiteSpace(mimeType) || mimeType.Length > 128) return new Result(null, "file", "The 'file' part needs its Content-Type.");
        if (!ReplyLimits.TryClassify(channel, mimeType, maxUploadBytes, out var kind, out var maxBytes))
        {
            return new Result(null, "file", $"{ChannelKindNames.Of(channel)} does not accept files of type '{mimeType}'.");
        }
        if (file.Length > maxBytes)
        {
            return new Result(null, "file", $"{ChannelKindNames.Of(channel)} accepts {kind} files of at most {maxBytes} bytes; this one has {file.Length}.", TooLarge: true);
        }
        string? caption = form.TryGetValue("caption", out var captions) && captions.ToString() is { Length: > 0 } c ? c : null;
        if (caption is not null)
        {
            if (channel != ChannelKind.WhatsApp) return new Result(null, "caption", $"{ChannelKindNames.Of(channel)} attachments take no caption; send the text as its own message.");
            if (kind == "audio") return new Result(null, "caption", "WhatsApp audio takes no caption.");
            if (caption.Length > 1024) return new Result(null, "caption", "A WhatsApp caption is at most 1024 characters.");
        }
        string? replyTo = form.TryGetValue("replyToMessageId", out var replies) && replies.ToString() is { Length: > 0 } r ? r : null;
        var fileName = Path.GetFileName(file.FileName ?? "");
        if (fileName.Length > MaxFileNameLength) fileName = fileName[..MaxFileNameLength];

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return new Result(new ParsedReply(OutboundKind.Media, caption, replyTo, null, null, buffer.ToArray(), mimeType, fileName.Length == 0 ? null : fileName, kind));
    }

    /// <summary>The edge check for forms, which the edge middleware leaves to this reader (see <see cref="EdgeInputMiddleware"/>).</summary>
    private static Result? UnsafeFormText(IFormCollection form)
    {
        foreach (var (name, values) in form)
        {
            if (UnsafeText.Problem(name) is { } nameProblem) return new Result(null, "body", "A form field name " + nameProblem);
            foreach (var value in values)
            {
                if (UnsafeText.Problem(value) is { } problem) return new Result(null, name, $"'{name}' {problem}");
            }
        }
        foreach (var file in form.Files)
        {
            if (UnsafeText.Problem(file.Name) is { } nameProblem) return new Result(null, "body", "A form field name " + nameProblem);
            if (UnsafeText.Problem(file.FileName) is { } problem) return new Result(null, file.Name, $"The file name of '{file.Name}' {problem}");
        }
        return null;
    }

    private static Result ReadTemplate(JsonElement template, string? replyTo)
    {
        if (template.ValueKind != JsonValueKind.Object) return new Result(null, "template", "'template' must be an object with 'name', 'language' and optional 'components'.");
        if (!template.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 } name)
        {
            return new Result(null, "template.name", "'template.name' is required: the approved template's name.");
        }
        if (name.Length > MaxTemplateNameLength || !TemplateName().IsMatch(name))
        {
            return new Result(null, "template.name", "'template.name' is lowercase letters, digits and underscores, as Meta names templates.");
        }
        string? language = null;
        if (template.TryGetProperty("language", out var languageElement))
        {
            language = languageElement.ValueKind switch
            {
                JsonValueKind.String => languageElement.GetString(),
                JsonValueKind.Object when languageElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String => code.GetString(),
                _ => null,
            };
        }
        if (language is null || !LanguageCode().IsMatch(language))
        {
            return new Result(null, "template.language", "'template.language' is required: the template's language code, such as 'en_US' or 'pt_BR'.");
        }

        var normalized = new JsonObject { ["name"] = name, ["language"] = new JsonObject { ["code"] = language } };
        if (template.TryGetProperty("components", out var components) && components.ValueKind != JsonValueKind.Null)
        {
            if (components.ValueKind != JsonValueKind.Array) return new Result(null, "template.components", "'template.components' must be an array.");
            var list = new JsonArray();
            var i = 0;
            foreach (var component in components.EnumerateArray())
            {
                var at = $"template.components[{i}]";
                if (component.ValueKind != JsonValueKind.Object) return new Result(null, at, $"'{at}' must be an object.");
                if (!component.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !ComponentTypes.Contains(type.GetString()!.ToLowerInvariant()))
                {
                    return new Result(null, at + ".type", $"'{at}.type' must be body, header or button.");
                }
                var node = JsonNode.Parse(component.GetRawText())!.AsObject();
                node["type"] = type.GetString()!.ToLowerInvariant();
                if ((string)node["type"]! == "button")
                {
                    if (!component.TryGetProperty("sub_type", out var subType) || subType.ValueKind != JsonValueKind.String)
                    {
                        return new Result(null, at + ".sub_type", $"'{at}.sub_type' is required for a button (quick_reply, url...).");
                    }
                    if (!component.TryGetProperty("index", out var index) || index.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                    {
                        return new Result(null, at + ".index", $"'{at}.index' is required for a button: its position, from 0.");
                    }
                }
                if (component.TryGetProperty("parameters", out var parameters))
                {
                    if (parameters.ValueKind != JsonValueKind.Array) return new Result(null, at + ".parameters", $"'{at}.parameters' must be an array.");
                    var j = 0;
                    foreach (var parameter in parameters.EnumerateArray())
                    {
                        var pat = $"{at}.parameters[{j}]";
                        if (parameter.ValueKind != JsonValueKind.Object || !parameter.TryGetProperty("type", out var ptype) || ptype.ValueKind != JsonValueKind.String
                            || !ParameterTypes.Contains(ptype.GetString()!))
                        {
                            return new Result(null, pat + ".type", $"'{pat}.type' must be one of {string.Join(", ", ParameterTypes)}.");
                        }
                        var kind = ptype.GetString()!;
                        if (kind is not "action" && !parameter.TryGetProperty(kind, out _))
                        {
                            return new Result(null, $"{pat}.{kind}", $"A '{kind}' parameter needs its '{kind}' value.");
                        }
                        j++;
                    }
                }
                list.Add(node);
                i++;
            }
            normalized["components"] = list;
        }
        return new Result(new ParsedReply(OutboundKind.Template, null, replyTo, name, normalized, null, null, null, null));
    }

    private static bool TryOptionalString(JsonElement body, string name, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 and <= 256 } text)
        {
            problem = $"'{name}' must be a message id (a non-empty string of at most 256 characters).";
            return false;
        }
        value = text;
        return true;
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Za-z0-9]{2,8})?$")]
    private static partial Regex LanguageCode();
}
