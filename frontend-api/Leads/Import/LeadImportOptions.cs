using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Leads.Import;

namespace Flexoraa.FrontendApi.Leads.Import;

/// <summary>
/// How to import a file, from the query string or from form fields sent before the file part: <c>duplicates</c> (the
/// <see cref="DuplicatePolicy"/>, skip by default), <c>mapping</c> (a JSON object of header → field, null to ignore a
/// column) and <c>dryRun</c>.
/// </summary>
internal sealed class LeadImportOptions
{
    public DuplicatePolicy Duplicates { get; private set; } = DuplicatePolicy.Skip;
    public Dictionary<string, string?> Mapping { get; private set; } = new(StringComparer.OrdinalIgnoreCase);
    public bool DryRun { get; private set; }
    public string? FileName { get; set; }

    /// <returns>The field and what is wrong with it, or null.</returns>
    public (string Field, string Message)? Set(string name, string value)
    {
        if (Platform.UnsafeText.Problem(value) is { } unsafeText) return (name, $"'{name}' {unsafeText}");
        switch (name)
        {
            case "duplicates":
                if (!ApiJson.TryParse<DuplicatePolicy>(value, out var policy))
                {
                    return ("duplicates", $"'{value}' is not a duplicate policy; use skip, fillEmpty, overwrite or create.");
                }
                Duplicates = policy;
                return null;
            case "mapping":
                try
                {
                    Mapping = new Dictionary<string, string?>(JsonSerializer.Deserialize<Dictionary<string, string?>>(value) ?? [], StringComparer.OrdinalIgnoreCase);
                    return null;
                }
                catch (JsonException)
                {
                    return ("mapping", "The mapping must be a JSON object of column header to lead field, e.g. {\"Mobile\": \"phone\", \"Fax\": null}.");
                }
            case "dryRun":
                if (!bool.TryParse(value, out var dryRun)) return ("dryRun", "dryRun is true or false.");
                DryRun = dryRun;
                return null;
            case "fileName":
                FileName = Path.GetFileName(value) is { Length: > 0 } named ? named[..Math.Min(named.Length, 255)] : null;
                return null;
            default:
                return null;
        }
    }
}
