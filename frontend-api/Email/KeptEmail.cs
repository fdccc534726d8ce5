namespace Flexoraa.FrontendApi.Email;

/// <summary>One email as the outbox holds it; <see cref="SentAt"/> stays null while no SMTP server took it.</summary>
public sealed record KeptEmail(
    long Id, string Recipient, string Subject, string Body, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, int Attempts, string? LastError);
