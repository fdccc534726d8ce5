using System.Text.Json;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// One stored message; <see cref="Status"/> is null until Meta reports one (inbound messages never get one). A reply
/// (direction <c>outbound</c>) has one from the start: <c>queued</c> until Meta accepts it, then sent, delivered, read,
/// or failed with the code and title. <see cref="Sandbox"/> is set on replies only: true when the sandbox sender
/// recorded it instead of delivering it.
/// </summary>
public sealed record MessageView(
    long Id,
    string ExternalId,
    string Direction,
    string Kind,
    string? Body,
    JsonElement Attachments,
    string? ReplyToExternalId,
    DateTimeOffset OccurredAt,
    MessageDelivery? Status,
    bool? Sandbox = null);
