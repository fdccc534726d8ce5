using Flexoraa.Leads;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// The body of <c>POST /api/v1/leads/{id}/activities</c>: a <c>note</c> (body required), a <c>call</c> (optional
/// durationSeconds and outcome) or a <c>meeting</c>; occurredAt defaults to now and may be in the future for a meeting.
/// </summary>
public sealed record LogActivityRequest(LeadActivityKind? Kind, string? Body, DateTimeOffset? OccurredAt, int? DurationSeconds, string? Outcome)
{
    public const int MaxBodyLength = 4000;
    public const int MaxCallSeconds = 86_400;

    public bool TryValidate(DateTimeOffset now, out LogLeadActivity activity, out Dictionary<string, string[]> errors)
    {
        errors = [];
        activity = null!;
        if (Kind is not (LeadActivityKind.Note or LeadActivityKind.Call or LeadActivityKind.Meeting)) errors["kind"] = ["'kind' must be note, call or meeting."];
        var body = Body?.Trim();
        if (body is { Length: 0 }) body = null;
        if (Kind == LeadActivityKind.Note && body is null) errors["body"] = ["A note needs some text."];
        if (body is { Length: > MaxBodyLength }) errors["body"] = [$"'body' is at most {MaxBodyLength} characters."];
        if (DurationSeconds is not null && Kind != LeadActivityKind.Call) errors["durationSeconds"] = ["Only a call has a duration."];
        else if (DurationSeconds is < 0 or > MaxCallSeconds) errors["durationSeconds"] = [$"'durationSeconds' is 0 to {MaxCallSeconds}."];
        var outcome = Outcome?.Trim();
        if (outcome is not null && Kind != LeadActivityKind.Call) errors["outcome"] = ["Only a call has an outcome."];
        else if (outcome is { Length: 0 or > 100 }) errors["outcome"] = ["'outcome' has 1 to 100 characters."];
        var at = OccurredAt?.ToUniversalTime();
        // A call or note is logged after the fact; only a meeting can be booked ahead.
        if (at > now.AddMinutes(5) && Kind != LeadActivityKind.Meeting) errors["occurredAt"] = ["Only a meeting can be in the future."];
        if (errors.Count > 0) return false;
        activity = new LogLeadActivity(Kind!.Value, body, at, DurationSeconds, outcome);
        return true;
    }
}
