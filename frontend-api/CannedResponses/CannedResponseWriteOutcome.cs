namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>How a create or update of a canned response ended.</summary>
public enum CannedResponseWriteOutcome
{
    Done,
    NotFound,
    ShortcutTaken,
}
