namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Meta's customer-service window: free-form replies are allowed until 24 hours after the contact's last inbound
/// message. <see cref="ExpiresAt"/> is null when the contact has never written.
/// </summary>
public sealed record ServiceWindow(bool Open, DateTimeOffset? ExpiresAt)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    public static ServiceWindow At(DateTimeOffset? lastInboundAt, DateTimeOffset now)
    {
        var expires = lastInboundAt?.Add(Length);
        return new ServiceWindow(expires > now, expires);
    }
}
