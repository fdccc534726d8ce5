namespace Flexoraa.Channels.Meta;

/// <summary>
/// A well-formed part of a webhook that we deliberately do not turn into events (another webhook field, a group
/// event, a Messenger opt-in...). Kept so the endpoint can log what it dropped and we can see what to support next.
/// </summary>
/// <param name="Path">Where it was, e.g. <c>entry[0].changes[2]</c>.</param>
/// <param name="Reason">Why it was skipped, for people reading logs.</param>
/// <param name="RawJson">The original JSON of that part.</param>
public sealed record SkippedWebhookItem(string Path, string Reason, string RawJson);
