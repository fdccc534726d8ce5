using Flexoraa.Leads.Import;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>Each row is validated and normalised, or kept out whole with every problem named for the error report.</summary>
public sealed class LeadRowReaderTests
{
    private static readonly string[] Headers = ["Name", "E-mail Address", "Mobile Phone", "Company", "Labels", "Website", "Industry"];

    private static LeadRowReader Reader(string? region = "IN") =>
        new(ColumnMapper.Propose(Headers, new Dictionary<string, string> { ["industry"] = "Industry" }), region);

    [Fact]
    public void A_good_row_is_normalised_phone_to_E164_email_lower_case_name_split_tags_deduplicated()
    {
        var ok = Reader().TryRead(Row("Asha Rao", "Asha.Rao@Example.COM", "098765 43210", "Rao & Sons", "vip; hot, VIP|expo", "rao.example.in", "Textiles"),
            out var lead, out var problems);

        Assert.True(ok, string.Join("; ", problems.Select(p => p.Problem)));
        Assert.Equal(("Asha", "Rao", "Asha Rao"), (lead!.FirstName, lead.LastName, lead.DisplayName));
        Assert.Equal("asha.rao@example.com", lead.Email);
        Assert.Equal("+919876543210", lead.PhoneE164);
        Assert.Equal(["vip", "hot", "expo"], lead.Tags.ToArray());
        Assert.Equal("Textiles", lead.CustomFields["industry"]);
        Assert.Equal(2, lead.RowNumber);
    }

    [Theory]
    [InlineData("+44 20 7946 0958", null, "+442079460958")]
    [InlineData("0044 20 7946 0958", null, "+442079460958")]
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("0151 23456789", "DE", "+4915123456789")]
    public void Phones_are_read_as_people_write_them(string typed, string? region, string e164) =>
        Assert.Equal(e164, PhoneNumberText.ToE164(typed, region, out _));

    [Fact]
    public void A_local_number_without_a_default_region_asks_for_the_country_code()
    {
        Assert.Null(PhoneNumberText.ToE164("98765 43210", null, out var problem));
        Assert.Contains("country code", problem);
    }

    [Fact]
    public void Every_bad_cell_of_a_row_is_named_and_the_row_is_kept_out()
    {
        var ok = Reader().TryRead(Row("Ann", "ann at example", "12", "Acme", "", "not a site", ""), out var lead, out var problems);

        Assert.False(ok);
        Assert.Null(lead);
        Assert.Equal(["E-mail Address", "Mobile Phone", "Website"], problems.Select(p => p.Column));
        Assert.Equal(["ann at example", "12", "not a site"], problems.Select(p => p.Value));
        Assert.All(problems, p => Assert.Equal(2, p.RowNumber));
    }

    [Theory]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("ann@localhost")]
    [InlineData("ann@@example.com")]
    public void E_mails_that_are_not_plain_addresses_are_refused(string email) =>
        Assert.Null(LeadRowReader.NormaliseEmail(email, out _));

    [Fact]
    public void A_row_with_nothing_that_identifies_a_lead_is_refused()
    {
        var ok = Reader().TryRead(Row("", "", "", "", "friends", "", "Retail"), out _, out var problems);

        Assert.False(ok);
        Assert.Contains("nothing identifies", Assert.Single(problems).Problem);
    }

    [Fact]
    public void A_cell_longer_than_its_column_is_refused_not_cut()
    {
        var ok = Reader().TryRead(Row("Ann", "", "", new string('x', 201), "", "", ""), out _, out var problems);

        Assert.False(ok);
        Assert.Contains("longer than 200", Assert.Single(problems).Problem);
    }

    [Fact]
    public void A_formula_in_a_cell_is_stored_as_the_text_it_is()
    {
        var ok = Reader().TryRead(Row("=HYPERLINK(\"http://x\")", "", "+919876543210", "", "", "", ""), out var lead, out _);

        Assert.True(ok);
        Assert.Equal("=HYPERLINK(\"http://x\")", lead!.FirstName);
    }

    [Theory]
    [InlineData("Lee, Ann", "Ann", "Lee")]
    [InlineData("Ann Marie Lee", "Ann Marie", "Lee")]
    [InlineData("Cher", "Cher", null)]
    public void A_whole_name_splits_into_first_and_last(string full, string first, string? last) =>
        Assert.Equal((first, last), LeadRowReader.SplitName(full));

    private static CsvRecord Row(params string[] cells) => new(2, cells);
}
