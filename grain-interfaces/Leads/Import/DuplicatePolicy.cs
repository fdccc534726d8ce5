namespace Flexoraa.Leads.Import;

/// <summary>
/// What an import does with a row that is already a lead (same phone or e-mail). Stored and sent by its camelCase name
/// (<c>ApiJson.NameOf</c>): skip, fillEmpty, overwrite, create.
/// </summary>
public enum DuplicatePolicy
{
    /// <summary>Leave the existing lead alone; the row counts as skipped.</summary>
    Skip,

    /// <summary>Fill the existing lead's empty fields from the row; what it has stays.</summary>
    FillEmpty,

    /// <summary>The row's non-empty cells replace the lead's values.</summary>
    Overwrite,

    /// <summary>Create another lead anyway (not possible for a phone another lead has: phones are unique per tenant).</summary>
    Create,
}
