namespace Flexoraa.FrontendApi.Email;

/// <summary>One plain-text email, as it goes into the outbox.</summary>
public sealed record OutboundEmail(string Recipient, string Subject, string Body);
