namespace Flexoraa.FrontendApi.Replies;

/// <summary>
/// <c>POST /api/v1/conversations/{conversationId}/messages</c> as JSON: either <see cref="Text"/> (optionally answering
/// <see cref="ReplyToMessageId"/>, the external id of a message in the conversation) or a WhatsApp
/// <see cref="Template"/>. A file is sent as <c>multipart/form-data</c> instead, with a <c>file</c> part and an optional
/// <c>caption</c> (and <c>replyToMessageId</c>).
/// </summary>
public sealed record ReplyRequest(string? Text, string? ReplyToMessageId, TemplateRequest? Template);
