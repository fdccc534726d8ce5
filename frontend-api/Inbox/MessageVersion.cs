namespace Flexoraa.FrontendApi.Inbox;

/// <summary>A text an edit replaced: what the message said (<see cref="Body"/>) from <see cref="At"/> until the next edit.</summary>
public sealed record MessageVersion(string? Body, DateTimeOffset At);
