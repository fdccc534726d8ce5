using System.Text.Json;

namespace Flexoraa.FrontendApi.Replies;

/// <summary>
/// A WhatsApp template as Meta takes it: <see cref="Name"/>, <see cref="Language"/> (a code such as <c>en_US</c>) and
/// <see cref="Components"/> (<c>{ "type": "body" | "header" | "button", "parameters": [ { "type": "text", "text": "…" } ] }</c>;
/// a button also has <c>sub_type</c> and <c>index</c>).
/// </summary>
public sealed record TemplateRequest(string? Name, string? Language, JsonElement? Components);
