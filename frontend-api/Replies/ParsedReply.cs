using System.Text.Json.Nodes;
using Flexoraa.Outbound;

namespace Flexoraa.FrontendApi.Replies;

/// <summary>A reply request that passed validation: the content, and a file still to be stored (bytes, type, name).</summary>
public sealed record ParsedReply(
    OutboundKind Kind,
    string? Text,
    string? ReplyToMessageId,
    string? TemplateName,
    JsonObject? Template,
    byte[]? File,
    string? FileMimeType,
    string? FileName,
    string? MediaKind);
