using System.Text.Json;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>One stored message; <see cref="Status"/> is null until Meta reports one (inbound messages never get one).</summary>
public sealed record MessageView(
    long Id,
    string ExternalId,
    string Direction,
    string Kind,
    string? Body,
    JsonElement Attachments,
    string? ReplyToExternalId,
    DateTimeOffset OccurredAt,
    MessageDelivery? Status);
