namespace Flexoraa.Leads.Import;

/// <summary>
/// The lead fields a file's column can fill, by their REST names. A column can also fill a tenant's custom field,
/// named <c>custom:{key}</c>, or nothing (it is ignored).
/// </summary>
public static class LeadImportField
{
    public const string FirstName = "firstName";
    public const string LastName = "lastName";
    /// <summary>A whole name in one column ("Name", "Full Name"); split into first and last only when those are not mapped.</summary>
    public const string FullName = "fullName";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Company = "company";
    public const string Title = "title";
    public const string Source = "source";
    public const string Stage = "stage";
    public const string Tags = "tags";
    public const string Owner = "owner";
    public const string City = "city";
    public const string Country = "country";
    public const string Website = "website";
    public const string Notes = "notes";

    public const string CustomPrefix = "custom:";

    public static IReadOnlyList<string> All { get; } =
        [FirstName, LastName, FullName, Email, Phone, Company, Title, Source, Stage, Tags, Owner, City, Country, Website, Notes];

    public static bool IsValid(string target) =>
        All.Contains(target) || (target.StartsWith(CustomPrefix, StringComparison.Ordinal) && target.Length > CustomPrefix.Length);
}
