using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// The Graph API's send endpoints as a typed <see cref="HttpClient"/>: <c>POST /{version}/{node}/messages</c> (WhatsApp
/// Cloud API, Messenger and Instagram Send API) with a JSON or multipart body, and WhatsApp's media upload
/// <c>POST /{version}/{phone-number-id}/media</c>. Its resilience pipeline retries only refusals (see
/// <see cref="GraphApiRetries.ShouldRetrySendAsync"/>); errors come back as <see cref="GraphApiException"/>.
/// </summary>
public sealed class GraphMessagingClient(HttpClient http, IOptions<GraphApiSettings> settings)
{
    /// <summary>Posts a JSON message to <c>/{version}/{node}/messages</c> and returns Meta's answer.</summary>
    public async Task<JsonElement> SendMessageAsync(string node, JsonObject body, string accessToken, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await PostAsync(MessagesPath(node), content, accessToken, cancellationToken);
    }

    /// <summary>Posts a multipart message (Messenger / Instagram attachment upload: the fields plus <c>filedata</c>).</summary>
    public async Task<JsonElement> SendMessageWithFileAsync(string node, IReadOnlyDictionary<string, string> fields, byte[] file, string mimeType, string fileName,
        string accessToken, CancellationToken cancellationToken = default)
    {
        using var content = Multipart(fields, "filedata", file, mimeType, fileName);
        return await PostAsync(MessagesPath(node), content, accessToken, cancellationToken);
    }

    /// <summary>Uploads media for a WhatsApp number and returns its media id, to send by id.</summary>
    public async Task<string> UploadWhatsAppMediaAsync(string phoneNumberId, byte[] file, string mimeType, string fileName, string accessToken,
        CancellationToken cancellationToken = default)
    {
        using var content = Multipart(new Dictionary<string, string> { ["messaging_product"] = "whatsapp", ["type"] = mimeType }, "file", file, mimeType, fileName);
        var answer = await PostAsync($"{Version}/{Uri.EscapeDataString(phoneNumberId)}/media", content, accessToken, cancellationToken);
        return answer.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value
            ? value
            : throw new GraphApiException(System.Net.HttpStatusCode.OK, null, null, "The media upload's answer has no id.");
    }

    private string Version => Uri.EscapeDataString(settings.Value.GraphApiVersion);

    private string MessagesPath(string node) => $"{Version}/{Uri.EscapeDataString(node)}/messages";

    private static MultipartFormDataContent Multipart(IReadOnlyDictionary<string, string> fields, string fileField, byte[] file, string mimeType, string fileName)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields) content.Add(new StringContent(value, Encoding.UTF8), name);
        var bytes = new ByteArrayContent(file);
        bytes.Headers.ContentType = MediaTypeHeaderValue.Parse(mimeType);
        content.Add(bytes, fileField, fileName);
        return content;
    }

    private async Task<JsonElement> PostAsync(string path, HttpContent content, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GraphApiException(response.StatusCode, await GraphApiRetries.ReadErrorAsync(response, cancellationToken), GraphApiRetries.RetryAfter(response));
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new GraphApiException(response.StatusCode, null, null, $"The Graph API's answer is not JSON: {e.Message}");
        }
    }
}
