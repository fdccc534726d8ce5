using Flexoraa.Leads.Import;
using F = Flexoraa.Leads.Import.LeadImportField;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>The headers of each CRM's and address book's export map onto lead fields without the user's help.</summary>
public sealed class ColumnMapperTests
{
    public static TheoryData<string, string[], (string Header, string Field)[]> Exports => new()
    {
        { "HubSpot contacts", ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Company Name", "Job Title", "Lead Status", "Original Source", "Contact owner", "City", "Country/Region", "Website URL"],
            [("First Name", F.FirstName), ("Last Name", F.LastName), ("Email", F.Email), ("Mobile Phone Number", F.Phone), ("Company Name", F.Company),
             ("Job Title", F.Title), ("Lead Status", F.Stage), ("Original Source", F.Source), ("Contact owner", F.Owner), ("City", F.City),
             ("Country/Region", F.Country), ("Website URL", F.Website)] },
        { "Salesforce leads", ["Lead ID", "First Name", "Last Name", "Title", "Company", "Email", "Phone", "Mobile", "Lead Source", "Lead Status", "Lead Owner", "Description"],
            [("First Name", F.FirstName), ("Last Name", F.LastName), ("Title", F.Title), ("Company", F.Company), ("Email", F.Email), ("Mobile", F.Phone),
             ("Lead Source", F.Source), ("Lead Status", F.Stage), ("Lead Owner", F.Owner), ("Description", F.Notes)] },
        { "Zoho CRM leads", ["First Name", "Last Name", "Designation", "Company", "Email", "Phone", "Mobile", "Lead Source", "Lead Status", "Lead Owner", "Website"],
            [("Designation", F.Title), ("Mobile", F.Phone), ("Lead Owner", F.Owner), ("Website", F.Website), ("Lead Status", F.Stage)] },
        { "Pipedrive leads", ["Lead - Title", "Lead - Owner", "Lead - Source", "Lead - Labels", "Person - Name", "Person - Email - Work", "Person - Phone - Mobile", "Person - Phone - Work", "Organization - Name"],
            [("Lead - Owner", F.Owner), ("Lead - Source", F.Source), ("Lead - Labels", F.Tags), ("Person - Name", F.FullName), ("Person - Email - Work", F.Email),
             ("Person - Phone - Mobile", F.Phone), ("Organization - Name", F.Company)] },
        { "Google Contacts", ["First Name", "Middle Name", "Last Name", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value", "Organization Name", "Organization Title", "Labels", "Notes"],
            [("First Name", F.FirstName), ("Last Name", F.LastName), ("E-mail 1 - Value", F.Email), ("Phone 1 - Value", F.Phone), ("Organization Name", F.Company),
             ("Organization Title", F.Title), ("Labels", F.Tags), ("Notes", F.Notes)] },
        { "Google Contacts (older)", ["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Value", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title"],
            [("Name", F.FullName), ("Given Name", F.FirstName), ("Family Name", F.LastName), ("Group Membership", F.Tags), ("E-mail 1 - Value", F.Email),
             ("Phone 1 - Value", F.Phone), ("Organization 1 - Name", F.Company), ("Organization 1 - Title", F.Title)] },
        { "Outlook", ["First Name", "Middle Name", "Last Name", "Company", "Job Title", "Business Phone", "Home Phone", "Mobile Phone", "E-mail Address", "Categories", "Business City", "Business Country/Region", "Web Page", "Notes"],
            [("Company", F.Company), ("Job Title", F.Title), ("Mobile Phone", F.Phone), ("E-mail Address", F.Email), ("Categories", F.Tags),
             ("Business City", F.City), ("Business Country/Region", F.Country), ("Web Page", F.Website), ("Notes", F.Notes)] },
        { "LinkedIn connections", ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
            [("First Name", F.FirstName), ("Last Name", F.LastName), ("URL", F.Website), ("Email Address", F.Email), ("Company", F.Company), ("Position", F.Title)] },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public void The_export_maps_its_columns_onto_lead_fields(string export, string[] headers, (string Header, string Field)[] expected)
    {
        var mapping = ColumnMapper.Propose(headers);

        foreach (var (header, field) in expected)
        {
            var column = mapping.Columns.Single(c => c.Header == header);
            Assert.True(column.Field == field, $"{export}: '{header}' mapped to '{column.Field}', expected '{field}'");
            Assert.True(column.Automatic);
        }
        // No field is filled from two columns.
        var fields = mapping.Columns.Where(c => c.Field is not null).Select(c => c.Field).ToList();
        Assert.Equal(fields.Count, fields.Distinct().Count());
    }

    [Fact]
    public void A_mobile_number_wins_the_phone_over_work_and_home_numbers_whatever_the_column_order()
    {
        var mapping = ColumnMapper.Propose(["Business Phone", "Home Phone", "Mobile Phone"]);

        Assert.Equal(2, mapping.IndexOf(F.Phone));
        Assert.Null(mapping.Columns[0].Field);
        Assert.Null(mapping.Columns[1].Field);
    }

    [Fact]
    public void Unknown_headers_stay_unmapped_and_a_custom_field_is_found_by_key_or_label()
    {
        var custom = new Dictionary<string, string> { ["company_size"] = "Company size", ["industry"] = "Industry" };

        var mapping = ColumnMapper.Propose(["Company Size", "industry", "Favourite colour"], custom);

        Assert.Equal("custom:company_size", mapping.Columns[0].Field);
        Assert.Equal("custom:industry", mapping.Columns[1].Field);
        Assert.Null(mapping.Columns[2].Field);
    }

    [Fact]
    public void An_explicit_mapping_overrides_the_proposal_and_takes_its_field_away_from_other_columns()
    {
        var proposed = ColumnMapper.Propose(["Phone", "WhatsApp Nr", "Notes"]);

        var mapping = ColumnMapper.Apply(proposed, new Dictionary<string, string?> { ["whatsapp nr"] = F.Phone, ["Notes"] = null });

        Assert.Equal(1, mapping.IndexOf(F.Phone));
        Assert.False(mapping.Columns[1].Automatic);
        Assert.Null(mapping.Columns[0].Field);
        Assert.False(mapping.Maps(F.Notes));
    }

    [Theory]
    [InlineData("Fax", F.Phone, "does not have")]
    [InlineData("Phone", "shoeSize", "not a lead field")]
    public void An_explicit_mapping_that_names_a_missing_column_or_an_unknown_field_is_refused_with_the_name(string header, string field, string reason)
    {
        var proposed = ColumnMapper.Propose(["Phone", "Email"]);

        var e = Assert.Throws<ArgumentException>(() => ColumnMapper.Apply(proposed, new Dictionary<string, string?> { [header] = field }));

        Assert.Contains(reason, e.Message);
        Assert.Contains(header == "Fax" ? "Fax" : "shoeSize", e.Message);
    }

    [Fact]
    public void One_field_mapped_from_two_columns_is_refused()
    {
        var proposed = ColumnMapper.Propose(["Phone", "Mobile"]);

        var e = Assert.Throws<ArgumentException>(() => ColumnMapper.Apply(proposed, new Dictionary<string, string?> { ["Phone"] = F.Phone, ["Mobile"] = F.Phone }));

        Assert.Contains("more than one column", e.Message);
    }
}
