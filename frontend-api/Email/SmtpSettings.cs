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

    public const string Section = "Flexoraa:Smtp";
}
