namespace Flexoraa.FrontendApi.Email;

/// <summary>The answer of <c>GET /api/v1/dev/outbox</c>, newest first.</summary>
public sealed record LocalOutboxPage(IReadOnlyList<KeptEmail> Items);
