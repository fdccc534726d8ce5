namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>One webhook event no tenant can take, with why, waiting to be kept by <see cref="WebhookDeadLetters"/>.</summary>
public sealed record WebhookDeadLetter(string? ExternalAccountId, string Reason, string PayloadJson);
