namespace Flexoraa.FrontendApi.Inbox;

/// <summary>The latest delivery status Meta reported for a message (sent, delivered, read or failed with its code and title).</summary>
public sealed record MessageDelivery(string Status, int? ErrorCode, string? ErrorTitle);
