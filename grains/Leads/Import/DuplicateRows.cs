namespace Flexoraa.Leads.Import;

/// <summary>
/// Finds rows of one file that are the same lead as an earlier row: the same normalised phone or the same e-mail
/// (both are normalised by <see cref="LeadRowReader"/>, so "+91 98765 43210" and "098765 43210" meet). The first row
/// wins; later ones are reported as duplicates of it whatever the import's policy for existing leads, because two
/// rows of one file updating one lead would make the result depend on row order.
/// <para>
/// Memory is a dictionary entry per key, about 100 bytes each: a million-row file with phone and e-mail costs ~200 MB
/// at most, inside the import's row limit.
/// </para>
/// </summary>
public sealed class DuplicateRows
{
    private readonly Dictionary<string, int> _phones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _emails = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="lead"/> is new to this file; otherwise the problem naming the row it repeats.</summary>
    public ImportProblem? Check(ImportedLead lead)
    {
        if (lead.PhoneE164 is { } phone && _phones.TryGetValue(phone, out var byPhone))
        {
            return new ImportProblem(lead.RowNumber, null, phone, $"duplicate of row {byPhone} (same phone)");
        }
        if (lead.Email is { } email && _emails.TryGetValue(email, out var byEmail))
        {
            return new ImportProblem(lead.RowNumber, null, email, $"duplicate of row {byEmail} (same e-mail)");
        }
        if (lead.PhoneE164 is not null) _phones[lead.PhoneE164] = lead.RowNumber;
        if (lead.Email is not null) _emails[lead.Email] = lead.RowNumber;
        return null;
    }
}
