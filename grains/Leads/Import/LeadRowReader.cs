using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net.Mail;
using F = Flexoraa.Leads.Import.LeadImportField;

namespace Flexoraa.Leads.Import;

/// <summary>
/// Turns one file row into an <see cref="ImportedLead"/> through the column mapping, or into the problems that keep
/// it out. A row is taken whole or not at all: a lead imported with a broken phone or e-mail would be silently
/// unreachable by the campaigns it was imported for, so the row goes to the error report, where it can be fixed and
/// imported again (re-importing deduplicates, so the good rows are not doubled).
/// </summary>
public sealed class LeadRowReader(ColumnMapping mapping, string? defaultRegion)
{
    /// <summary>Column widths of the lead read model; longer cells are refused rather than cut.</summary>
    private static readonly FrozenDictionary<string, int> MaxLengths = new Dictionary<string, int>
    {
        [F.FirstName] = 100, [F.LastName] = 100, [F.FullName] = 200, [F.Email] = 254, [F.Phone] = 40, [F.Company] = 200,
        [F.Title] = 200, [F.Source] = 32, [F.Stage] = 64, [F.Tags] = 1000, [F.Owner] = 254, [F.City] = 100, [F.Country] = 100,
        [F.Website] = 500, [F.Notes] = 10_000,
    }.ToFrozenDictionary();

    private const int MaxTags = 20;
    private const int MaxTagLength = 50;
    private const int MaxCustomValueLength = 1000;

    private static readonly char[] TagSeparators = [',', ';', '|'];

    private readonly Dictionary<string, int> _columns = F.All.ToDictionary(field => field, mapping.IndexOf, StringComparer.Ordinal);
    private readonly (string Key, int Index, string Header)[] _custom = mapping.Columns
        .Where(c => c.Field?.StartsWith(F.CustomPrefix, StringComparison.Ordinal) == true)
        .Select(c => (c.Field![F.CustomPrefix.Length..], c.Index, c.Header))
        .ToArray();

    public bool TryRead(CsvRecord row, out ImportedLead? lead, out IReadOnlyList<ImportProblem> problems)
    {
        var found = new List<ImportProblem>();
        string? Cell(string field)
        {
            var index = _columns[field];
            if (index < 0) return null;
            var value = row[index].Trim();
            if (value.Length == 0) return null;
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                found.Add(new ImportProblem(row.RowNumber, Header(index), null, "contains a NUL character, which no text field can hold"));
                return null;
            }
            if (value.Length > MaxLengths[field])
            {
                found.Add(new ImportProblem(row.RowNumber, Header(index), Shorten(value), $"is longer than {MaxLengths[field]} characters"));
                return null;
            }
            return value;
        }

        var first = Cell(F.FirstName);
        var last = Cell(F.LastName);
        if (first is null && last is null && Cell(F.FullName) is { } full) (first, last) = SplitName(full);

        var email = Cell(F.Email);
        if (email is not null)
        {
            var typed = email;
            email = NormaliseEmail(typed, out var emailProblem);
            if (emailProblem is not null) found.Add(new ImportProblem(row.RowNumber, HeaderOf(F.Email), typed, emailProblem));
        }

        string? phone = null;
        if (Cell(F.Phone) is { } phoneText)
        {
            phone = PhoneNumberText.ToE164(phoneText, defaultRegion, out var phoneProblem);
            if (phoneProblem is not null) found.Add(new ImportProblem(row.RowNumber, HeaderOf(F.Phone), phoneText, phoneProblem));
        }

        var tags = Tags(Cell(F.Tags), row.RowNumber, HeaderOf(F.Tags), found);
        var website = Cell(F.Website);
        if (website is not null && !LooksLikeWebsite(website))
        {
            found.Add(new ImportProblem(row.RowNumber, HeaderOf(F.Website), website, "is not a web address"));
        }

        var custom = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, index, header) in _custom)
        {
            var value = row[index].Trim();
            if (value.Length == 0) continue;
            if (value.Contains('\0', StringComparison.Ordinal)) found.Add(new ImportProblem(row.RowNumber, header, null, "contains a NUL character, which no text field can hold"));
            else if (value.Length > MaxCustomValueLength) found.Add(new ImportProblem(row.RowNumber, header, Shorten(value), $"is longer than {MaxCustomValueLength} characters"));
            else custom[key] = value;
        }

        var company = Cell(F.Company);
        var (title, source, stage, owner) = (Cell(F.Title), Cell(F.Source), Cell(F.Stage), Cell(F.Owner));
        var (city, country, notes) = (Cell(F.City), Cell(F.Country), Cell(F.Notes));
        if (found.Count == 0 && first is null && last is null && email is null && phone is null && company is null)
        {
            found.Add(new ImportProblem(row.RowNumber, null, null, "has no name, company, e-mail or phone: nothing identifies the lead"));
        }

        problems = found;
        if (found.Count > 0)
        {
            lead = null;
            return false;
        }
        lead = new ImportedLead(row.RowNumber, first, last, email, phone, company, title, source, stage, tags,
            owner, city, country, website, notes, custom.ToImmutable());
        return true;
    }

    private string? HeaderOf(string field) => Header(_columns[field]);

    private string? Header(int index) => index >= 0 && index < mapping.Columns.Count ? mapping.Columns[index].Header : null;

    /// <summary>"Ann Marie Lee" → ("Ann Marie", "Lee"); "Lee, Ann" (the directory form) → ("Ann", "Lee").</summary>
    public static (string? First, string? Last) SplitName(string full)
    {
        var comma = full.IndexOf(',');
        if (comma > 0) return (NullIfEmpty(full[(comma + 1)..].Trim()), NullIfEmpty(full[..comma].Trim()));
        var space = full.LastIndexOf(' ');
        return space < 0 ? (full, null) : (full[..space].Trim(), full[(space + 1)..].Trim());
    }

    /// <summary>Lower-cased so that matching is case-blind; a display-name form ("Ann &lt;ann@x.io&gt;") is refused, not guessed.</summary>
    public static string? NormaliseEmail(string text, out string? problem)
    {
        problem = null;
        if (MailAddress.TryCreate(text, out var address) && address.Address == text && address.Host.Contains('.') && !address.Host.EndsWith('.'))
        {
            return text.ToLowerInvariant();
        }
        problem = $"'{text}' is not an e-mail address";
        return null;
    }

    private static ImmutableArray<string> Tags(string? cell, int rowNumber, string? header, List<ImportProblem> problems)
    {
        if (cell is null) return [];
        var tags = cell.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (tags.Count > MaxTags) problems.Add(new ImportProblem(rowNumber, header, Shorten(cell), $"has {tags.Count} tags; at most {MaxTags}"));
        if (tags.FirstOrDefault(t => t.Length > MaxTagLength) is { } tooLong)
        {
            problems.Add(new ImportProblem(rowNumber, header, Shorten(tooLong), $"tag is longer than {MaxTagLength} characters"));
        }
        return [.. tags];
    }

    private static bool LooksLikeWebsite(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Contains('.');
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
