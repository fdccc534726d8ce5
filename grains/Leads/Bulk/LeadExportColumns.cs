using System.Collections.Immutable;
using System.Globalization;
using Flexoraa.Leads.Import;
using Flexoraa.ReadModels;
using nietras.SeparatedValues;

namespace Flexoraa.Leads.Bulk;

/// <summary>
/// The columns a lead export can have, by their REST names, plus <c>custom.&lt;key&gt;</c> for a custom field. The CSV is
/// comma-delimited UTF-8 with a byte-order mark (Excel reads it right), and every cell is neutralised
/// (<see cref="SpreadsheetText"/>): lead fields are other people's text and may be formulas.
/// </summary>
public static class LeadExportColumns
{
    public const string CustomPrefix = "custom.";
    public const int MaxColumns = 60;

    private static readonly Dictionary<string, Func<Lead, string?>> Fields = new(StringComparer.Ordinal)
    {
        ["id"] = l => l.Id,
        ["displayName"] = l => l.DisplayName,
        ["firstName"] = l => l.FirstName,
        ["lastName"] = l => l.LastName,
        ["company"] = l => l.Company,
        ["title"] = l => l.Title,
        ["email"] = l => l.Email,
        ["phone"] = l => l.Phone,
        ["source"] = l => l.Source,
        ["tags"] = l => string.Join(';', l.Tags),
        ["ownerUserId"] = l => l.OwnerUserId,
        ["pipelineId"] = l => l.PipelineId,
        ["stageId"] = l => l.StageId,
        ["wonValue"] = l => l.WonValue?.ToString(CultureInfo.InvariantCulture),
        ["wonCurrency"] = l => l.WonCurrency,
        ["lostReason"] = l => l.LostReason,
        ["createdAt"] = l => l.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["updatedAt"] = l => l.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    public static ImmutableArray<string> Default { get; } =
        ["id", "displayName", "firstName", "lastName", "company", "title", "email", "phone", "source", "tags", "ownerUserId", "stageId", "createdAt"];

    public static IEnumerable<string> Known => Fields.Keys;

    public static bool IsColumn(string name) =>
        Fields.ContainsKey(name) || (name.StartsWith(CustomPrefix, StringComparison.Ordinal) && Flexoraa.Leads.Fields.CustomFieldValues.IsKey(name[CustomPrefix.Length..]));

    public static string? Value(Lead lead, string column) =>
        Fields.TryGetValue(column, out var read) ? read(lead) : lead.CustomFields.GetValueOrDefault(column[CustomPrefix.Length..]);

    /// <summary>Writes the header and then, batch by batch, the rows of the leads the export names and the caller may still see.</summary>
    public static async Task<int> WriteAsync(Stream destination, ImmutableArray<string> columns, Func<int, Task<IReadOnlyList<Lead>?>> nextBatch,
        Func<int, Task> progress, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(destination, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        var written = 0;
        await using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = true }).To(text))
        {
            writer.Header.Add(columns.ToArray());
            for (var batch = 0; await nextBatch(batch) is { } leads; batch++)
            {
                foreach (var lead in leads)
                {
                    await using var row = writer.NewRow(cancellationToken);
                    foreach (var column in columns) row[column].Set(SpreadsheetText.Neutralise(Value(lead, column)));
                    written++;
                }
                await writer.FlushAsync(cancellationToken);
                await progress(written);
            }
            // An export of no leads still has its header, so a script that downloads it can parse it.
            if (written == 0) await writer.Header.WriteAsync(cancellationToken);
        }
        await text.FlushAsync(cancellationToken);
        return written;
    }

    /// <summary>The leads of one batch in the action's order, those the caller may see.</summary>
    public static async Task<IReadOnlyList<Lead>> ReadAsync(TenantSession session, IReadOnlyList<string> leadIds, string? sdr, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<LeadStore.LeadRow>($"""
            SELECT {LeadStore.Columns} FROM leads l
            WHERE l.tenant_id = @tenant AND l.id = ANY(@ids) AND (@sdr::varchar IS NULL OR l.owner_user_id IS NULL OR l.owner_user_id = @sdr)
            ORDER BY array_position(@ids, l.id)
            """, new { ids = leadIds.ToArray(), sdr }, cancellationToken);
        return [.. rows.Select(r => r.ToLead())];
    }
}
