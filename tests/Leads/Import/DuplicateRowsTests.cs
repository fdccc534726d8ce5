using System.Collections.Immutable;
using Flexoraa.Leads.Import;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>Within one file, the first row of a lead wins and later rows with its phone or e-mail are duplicates of it.</summary>
public sealed class DuplicateRowsTests
{
    [Fact]
    public void A_later_row_with_the_same_phone_or_e_mail_is_a_duplicate_of_the_first()
    {
        var rows = new DuplicateRows();

        Assert.Null(rows.Check(Lead(2, "+919876543210", "asha@example.com")));
        Assert.Null(rows.Check(Lead(3, "+919876543211", null)));
        var samePhone = rows.Check(Lead(4, "+919876543210", "other@example.com"));
        var sameEmail = rows.Check(Lead(5, null, "asha@example.com"));

        Assert.Equal("duplicate of row 2 (same phone)", samePhone!.Problem);
        Assert.Equal("duplicate of row 2 (same e-mail)", sameEmail!.Problem);
        Assert.Equal(5, sameEmail.RowNumber);
    }

    [Fact]
    public void A_duplicate_does_not_claim_its_other_keys()
    {
        var rows = new DuplicateRows();
        rows.Check(Lead(2, "+919876543210", null));

        rows.Check(Lead(3, "+919876543210", "new@example.com"));

        Assert.Null(rows.Check(Lead(4, null, "new@example.com")));
    }

    private static ImportedLead Lead(int row, string? phone, string? email) =>
        new(row, "A", null, email, phone, null, null, null, null, [], null, null, null, null, null, ImmutableDictionary<string, string>.Empty);
}
