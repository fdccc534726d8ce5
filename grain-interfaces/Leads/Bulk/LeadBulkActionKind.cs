namespace Flexoraa.Leads.Bulk;

/// <summary>What a bulk action does to each of its leads; sent and stored by its camelCase name.</summary>
public enum LeadBulkActionKind
{
    ChangeStage,
    ChangeOwner,
    AddTags,
    RemoveTags,
    Delete,
    Export,
}
