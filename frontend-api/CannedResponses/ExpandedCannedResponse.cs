namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The composer's text with its leading <c>/shortcut</c> replaced by the response, filled in for the conversation.</summary>
public sealed record ExpandedCannedResponse(string Text, string Shortcut, string CannedResponseId);
