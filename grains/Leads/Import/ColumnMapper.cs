using System.Collections.Frozen;
using F = Flexoraa.Leads.Import.LeadImportField;

namespace Flexoraa.Leads.Import;

/// <summary>
/// Proposes which lead field each column fills, from the header names that CRMs and address books write in their
/// exports: HubSpot, Salesforce, Zoho CRM, Pipedrive, Google Contacts, Outlook and LinkedIn. Headers are compared
/// without case, spaces or punctuation ("E-mail 1 - Value" is <c>email1value</c>), and Pipedrive's entity prefixes
/// ("Person - ", "Organization - ", "Lead - ") are dropped first.
/// <para>
/// When several columns could fill one field (Outlook has "Mobile Phone", "Business Phone" and "Home Phone") the
/// strongest synonym wins and the others stay unmapped, so nothing is overwritten by a weaker column. A mobile number
/// outranks a work one because WhatsApp, the channel campaigns use, needs a mobile. A header that names one of the
/// tenant's custom fields (by key or label) maps to that field.
/// </para>
/// </summary>
public static class ColumnMapper
{
    /// <summary>Normalised header → (field, strength); the higher strength wins a field.</summary>
    private static readonly FrozenDictionary<string, (string Field, int Strength)> Synonyms = new Dictionary<string, (string, int)>
    {
        // Names. Google's older format says Given/Family Name.
        ["firstname"] = (F.FirstName, 10), ["givenname"] = (F.FirstName, 9), ["first"] = (F.FirstName, 5), ["fname"] = (F.FirstName, 5),
        ["lastname"] = (F.LastName, 10), ["familyname"] = (F.LastName, 9), ["surname"] = (F.LastName, 9), ["last"] = (F.LastName, 5), ["lname"] = (F.LastName, 5),
        ["name"] = (F.FullName, 8), ["fullname"] = (F.FullName, 10), ["contactname"] = (F.FullName, 9), ["displayname"] = (F.FullName, 7),

        // E-mail: HubSpot/Salesforce "Email", Outlook "E-mail Address", Google "E-mail 1 - Value", LinkedIn "Email Address", Pipedrive "Email - Work".
        ["email"] = (F.Email, 10), ["emailaddress"] = (F.Email, 10), ["email1value"] = (F.Email, 9), ["emailwork"] = (F.Email, 9),
        ["workemail"] = (F.Email, 9), ["businessemail"] = (F.Email, 8), ["emailhome"] = (F.Email, 6), ["email1"] = (F.Email, 8),
        ["primaryemail"] = (F.Email, 10), ["emailother"] = (F.Email, 4), ["email2value"] = (F.Email, 3), ["personalemail"] = (F.Email, 6),

        // Phones, mobile first: HubSpot "Mobile Phone Number", Salesforce/Zoho "Mobile", Outlook "Mobile Phone", Google "Phone 1 - Value", Pipedrive "Phone - Mobile".
        ["mobilephonenumber"] = (F.Phone, 12), ["mobilephone"] = (F.Phone, 12), ["mobile"] = (F.Phone, 12), ["phonemobile"] = (F.Phone, 12),
        ["cellphone"] = (F.Phone, 12), ["cell"] = (F.Phone, 11), ["whatsapp"] = (F.Phone, 13), ["whatsappnumber"] = (F.Phone, 13),
        ["mobilenumber"] = (F.Phone, 12), ["phonenumber"] = (F.Phone, 10), ["phone"] = (F.Phone, 10), ["phone1value"] = (F.Phone, 10),
        ["telephone"] = (F.Phone, 9), ["businessphone"] = (F.Phone, 8), ["phonework"] = (F.Phone, 8), ["workphone"] = (F.Phone, 8),
        ["primaryphone"] = (F.Phone, 10), ["homephone"] = (F.Phone, 5), ["phonehome"] = (F.Phone, 5), ["phone2value"] = (F.Phone, 4),
        ["otherphone"] = (F.Phone, 3), ["phoneother"] = (F.Phone, 3),

        // Company: HubSpot "Company Name", Google "Organization Name" / "Organization 1 - Name", Pipedrive "Organization - Name" (prefix dropped → "name" is the person's, so "organization" alone too).
        ["company"] = (F.Company, 10), ["companyname"] = (F.Company, 10), ["organization"] = (F.Company, 9), ["organizationname"] = (F.Company, 10),
        ["organization1name"] = (F.Company, 10), ["organisation"] = (F.Company, 9), ["account"] = (F.Company, 6), ["accountname"] = (F.Company, 8),
        ["employer"] = (F.Company, 6), ["business"] = (F.Company, 5), ["businessname"] = (F.Company, 8),

        // Title: HubSpot "Job Title", Salesforce "Title", Zoho "Designation", Google "Organization Title", LinkedIn "Position".
        ["jobtitle"] = (F.Title, 10), ["title"] = (F.Title, 9), ["designation"] = (F.Title, 9), ["position"] = (F.Title, 9),
        ["organizationtitle"] = (F.Title, 10), ["organization1title"] = (F.Title, 10), ["role"] = (F.Title, 5), ["jobposition"] = (F.Title, 9),

        // Source and stage: Salesforce/Zoho "Lead Source", HubSpot "Original Source", "Lead Status", "Lifecycle Stage".
        ["leadsource"] = (F.Source, 10), ["source"] = (F.Source, 9), ["originalsource"] = (F.Source, 9), ["originalsourcetype"] = (F.Source, 8),
        ["leadstatus"] = (F.Stage, 10), ["status"] = (F.Stage, 7), ["stage"] = (F.Stage, 9), ["leadstage"] = (F.Stage, 10),
        ["lifecyclestage"] = (F.Stage, 8), ["pipelinestage"] = (F.Stage, 10),

        // Tags: Google "Labels" / "Group Membership", Outlook "Categories", Pipedrive "Labels".
        ["tags"] = (F.Tags, 10), ["tag"] = (F.Tags, 9), ["labels"] = (F.Tags, 9), ["label"] = (F.Tags, 8), ["categories"] = (F.Tags, 8),
        ["groupmembership"] = (F.Tags, 7),

        // Owner: HubSpot "Contact owner", Salesforce "Lead Owner", Pipedrive "Owner".
        ["owner"] = (F.Owner, 9), ["leadowner"] = (F.Owner, 10), ["contactowner"] = (F.Owner, 10), ["assignedto"] = (F.Owner, 8),
        ["salesrep"] = (F.Owner, 7), ["ownername"] = (F.Owner, 9), ["owneremail"] = (F.Owner, 9),

        // Place and web: Outlook "Business City", HubSpot "Country/Region", Outlook "Web Page", Salesforce "Website", LinkedIn "URL".
        ["city"] = (F.City, 10), ["businesscity"] = (F.City, 9), ["homecity"] = (F.City, 6), ["town"] = (F.City, 7),
        ["country"] = (F.Country, 10), ["countryregion"] = (F.Country, 10), ["businesscountryregion"] = (F.Country, 9),
        ["businesscountry"] = (F.Country, 9), ["homecountryregion"] = (F.Country, 6),
        ["website"] = (F.Website, 10), ["websiteurl"] = (F.Website, 10), ["webpage"] = (F.Website, 9), ["url"] = (F.Website, 6),
        ["website1value"] = (F.Website, 9), ["companywebsite"] = (F.Website, 9), ["linkedinurl"] = (F.Website, 5),

        ["notes"] = (F.Notes, 10), ["note"] = (F.Notes, 9), ["description"] = (F.Notes, 8), ["comments"] = (F.Notes, 8),
    }.ToFrozenDictionary();

    private static readonly string[] EntityPrefixes = ["person", "lead", "contact", "deal"];

    /// <param name="customFields">The tenant's custom fields (key → label), matched by key or label after the built-in synonyms.</param>
    public static ColumnMapping Propose(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? customFields = null)
    {
        var candidates = new (string? Field, int Strength)[headers.Count];
        for (var i = 0; i < headers.Count; i++) candidates[i] = Candidate(headers[i], customFields);

        // The strongest column per field keeps it; ties go to the leftmost column.
        var winners = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            if (candidates[i].Field is not { } field) continue;
            if (!winners.TryGetValue(field, out var current) || candidates[i].Strength > candidates[current].Strength) winners[field] = i;
        }

        var columns = new MappedColumn[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var field = candidates[i].Field is { } f && winners[f] == i ? f : null;
            columns[i] = new MappedColumn(i, headers[i], field, Automatic: true);
        }
        return new ColumnMapping(columns);
    }

    /// <summary>
    /// An explicit mapping from the user (header → field, or header → null to ignore it) over the proposal: headers it
    /// names take its field, the rest keep the proposal unless the field was given to another column.
    /// </summary>
    /// <exception cref="ArgumentException">The mapping names a header the file lacks, an unknown field, or one field twice.</exception>
    public static ColumnMapping Apply(ColumnMapping proposed, IReadOnlyDictionary<string, string?> explicitMapping)
    {
        foreach (var (header, field) in explicitMapping)
        {
            if (!proposed.Columns.Any(c => string.Equals(c.Header, header, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"The mapping names column '{header}', which the file does not have.");
            }
            if (field is not null && !LeadImportField.IsValid(field))
            {
                throw new ArgumentException($"Column '{header}' is mapped to '{field}', which is not a lead field; use one of {string.Join(", ", LeadImportField.All)} or custom:<key>.");
            }
        }
        var duplicate = explicitMapping.Values.Where(f => f is not null).GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Field '{duplicate.Key}' is mapped from more than one column.");

        var claimed = explicitMapping.Values.Where(f => f is not null).ToHashSet(StringComparer.Ordinal);
        var columns = proposed.Columns.Select(column =>
        {
            var given = explicitMapping.FirstOrDefault(m => string.Equals(m.Key, column.Header, StringComparison.OrdinalIgnoreCase));
            if (given.Key is not null) return column with { Field = given.Value, Automatic = false };
            return column.Field is not null && claimed.Contains(column.Field) ? column with { Field = null } : column;
        }).ToList();
        return new ColumnMapping(columns);
    }

    private static (string? Field, int Strength) Candidate(string header, IReadOnlyDictionary<string, string>? customFields)
    {
        var key = Normalise(header);
        if (key.Length == 0) return (null, 0);
        // Pipedrive's "Lead - Title" is the lead's own name ("Website redesign"), not a job title.
        if (key == "leadtitle") return (null, 0);
        if (Synonyms.TryGetValue(key, out var hit)) return hit;
        foreach (var prefix in EntityPrefixes)
        {
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && Synonyms.TryGetValue(key[prefix.Length..], out var prefixed))
            {
                return prefixed;
            }
        }
        if (customFields is not null)
        {
            foreach (var (fieldKey, label) in customFields)
            {
                if (Normalise(fieldKey) == key || Normalise(label) == key) return (LeadImportField.CustomPrefix + fieldKey, 10);
            }
        }
        return (null, 0);
    }

    /// <summary>Lower-case letters and digits only: "E-mail 1 - Value" → "email1value".</summary>
    internal static string Normalise(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 256)];
        var length = 0;
        foreach (var c in header)
        {
            if (length == buffer.Length) break;
            if (char.IsLetterOrDigit(c)) buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }
}
