namespace Flexoraa.FrontendApi.Email;

/// <summary>The <c>Flexoraa:Smtp</c> section. Without a host, mail is only recorded in the outbox and the log.</summary>
public sealed record SmtpSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public bool UseStartTls { get; init; } = true;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "Flexoraa <no-reply@flexoraa.local>";

    /// <summary>How often the outbox sender looks for due mail when nothing new was queued on this host.</summary>
    public TimeSpan OutboxPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed attempt; it doubles with each further failure, up to an hour.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before an email is given up (its row keeps the last error).</summary>
    public int MaxAttempts { get; init; } = 10;

    public const string Section = "Flexoraa:Smtp";
}
