using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.ReadModels;
using NpgsqlTypes;

namespace Flexoraa.Leads.Import;

/// <summary>
/// A row ready to write: the lead, the id it gets if it is new, and the stage and owner its cells name, resolved for the
/// tenant (null when it names none or one the tenant lacks).
/// </summary>
public sealed record ImportRow(ImportedLead Lead, string NewId, string? PipelineId, string? StageId, string? OwnerUserId);

/// <summary>What one committed batch did; <see cref="UpdatedLeadIds"/> are the leads whose active grains must reload.</summary>
/// <param name="Steps">Milliseconds per statement, in order, for the import's debug log: where a batch's time goes.</param>
public sealed record ImportBatchResult(int Created, int Updated, int Skipped, int Failed, ImmutableArray<string> UpdatedLeadIds, string Steps = "");

/// <summary>
/// Writes one batch of an import in one transaction: binary COPY of the rows into a temporary table, then a handful of
/// set-based statements (match existing leads by phone, then e-mail; insert the new; merge into the existing by the
/// duplicate policy; timeline entries; problems; the import's counters and the row it has committed through). A batch
/// of thousands of rows costs about as many round trips as one row would, and either all of it is applied or none.
/// <para>
/// The leads table is <see cref="LeadGrain"/>'s state of record, and a lead's grain reads its row when it activates,
/// so writing rows without activating grains leaves every inactive lead correct. Every change here bumps the row's
/// version, so an active grain that has not reloaded yet cannot overwrite it (its writes name the version they expect).
/// </para>
/// </summary>
public static class LeadImportBatch
{
    private const string Staging = """
        CREATE TEMP TABLE import_rows (
            row_number    integer      NOT NULL,
            new_id        varchar(40)  NOT NULL,
            display_name  varchar(200) NULL,
            first_name    varchar(100) NULL,
            last_name     varchar(100) NULL,
            company       varchar(200) NULL,
            title         varchar(200) NULL,
            email         varchar(254) NULL,
            phone_e164    varchar(20)  NULL,
            source        varchar(64)  NOT NULL,
            tags          text[]       NOT NULL,
            owner_user_id varchar(40)  NULL,
            pipeline_id   varchar(40)  NULL,
            stage_id      varchar(40)  NULL,
            custom_fields jsonb        NOT NULL,
            notes         text         NULL,
            existing_id   varchar(40)  NULL,
            first_row     integer      NULL,
            outcome       varchar(10)  NULL
        ) ON COMMIT DROP
        """;

    private const string Copy =
        "COPY import_rows (row_number, new_id, display_name, first_name, last_name, company, title, email, phone_e164, source, tags, " +
        "owner_user_id, pipeline_id, stage_id, custom_fields, notes) FROM STDIN (FORMAT BINARY)";

    /// <summary>The existing lead each row is: the one with its phone (phones are unique), else the oldest with its e-mail.</summary>
    private const string Match = """
        UPDATE import_rows r SET existing_id = (
            SELECT id FROM (
                SELECT id, 0 AS rank, created_at FROM leads WHERE tenant_id = @tenant AND r.phone_e164 IS NOT NULL AND phone_e164 = r.phone_e164
                UNION ALL
                SELECT id, 1 AS rank, created_at FROM leads WHERE tenant_id = @tenant AND r.email IS NOT NULL AND email = r.email
            ) found ORDER BY rank, created_at LIMIT 1)
        """;

    /// <summary>Two rows of the file that are one existing lead (one by phone, one by e-mail): the first row keeps it.</summary>
    private const string SameLead = """
        WITH ranked AS (
            SELECT row_number, min(row_number) OVER (PARTITION BY existing_id) AS first_row FROM import_rows WHERE existing_id IS NOT NULL
        )
        UPDATE import_rows r SET outcome = 'sameLead', first_row = ranked.first_row
        FROM ranked WHERE r.row_number = ranked.row_number AND ranked.row_number <> ranked.first_row
        """;

    private const string Insert = """
        WITH inserted AS (
            INSERT INTO leads (tenant_id, id, display_name, first_name, last_name, company, title, email, phone_e164, source, tags,
                               owner_user_id, pipeline_id, stage_id, custom_fields, import_id, created_at, updated_at, version)
            SELECT @tenant, new_id, display_name, first_name, last_name, company, title, email, phone_e164, source, tags,
                   owner_user_id, coalesce(pipeline_id, @pipeline), coalesce(stage_id, @stage), custom_fields, @import, @now, @now, 1
            FROM import_rows WHERE outcome IS NULL AND ({filter})
            ORDER BY row_number
            ON CONFLICT DO NOTHING
            RETURNING id
        )
        UPDATE import_rows r SET outcome = CASE WHEN r.new_id IN (SELECT id FROM inserted) THEN 'created' ELSE 'conflict' END
        WHERE r.outcome IS NULL AND ({filter})
        """;

    private const string Activities = """
        INSERT INTO lead_activities (tenant_id, lead_id, kind, actor_user_id, body, details, occurred_at)
        SELECT @tenant, CASE WHEN outcome = 'created' THEN new_id ELSE existing_id END,
               CASE WHEN outcome = 'created' THEN 'created' ELSE 'fieldsChanged' END, @actor, NULL,
               jsonb_build_object('source', 'import', 'importId', @import, 'row', row_number::text), @now
        FROM import_rows WHERE outcome IN ('created', 'updated')
        UNION ALL
        SELECT @tenant, CASE WHEN outcome = 'created' THEN new_id ELSE existing_id END, 'note', @actor, notes,
               jsonb_build_object('source', 'import', 'importId', @import, 'row', row_number::text), @now
        FROM import_rows WHERE outcome IN ('created', 'updated') AND notes IS NOT NULL
        """;

    private const string RowProblems = """
        INSERT INTO lead_import_problems (tenant_id, import_id, row_number, column_name, value, problem)
        SELECT @tenant, @import, row_number, NULL, coalesce(phone_e164, email),
               CASE outcome
                   WHEN 'conflict' THEN 'another lead already has this phone number; phones are unique, so it was not created'
                   ELSE 'is the same existing lead as row ' || first_row || ', which updated it'
               END
        FROM import_rows WHERE outcome IN ('conflict', 'sameLead')
        """;

    private const string Problems = """
        INSERT INTO lead_import_problems (tenant_id, import_id, row_number, column_name, value, problem)
        SELECT @tenant, @import, p.row_number, p.column_name, p.value, p.problem
        FROM unnest(@rows, @columns, @values, @problems) AS p(row_number, column_name, value, problem)
        """;

    private const string Counters = """
        WITH counted AS (
            SELECT count(*) FILTER (WHERE outcome = 'created') AS created,
                   count(*) FILTER (WHERE outcome = 'updated') AS updated,
                   count(*) FILTER (WHERE outcome IN ('skipped', 'sameLead')) AS skipped,
                   count(*) FILTER (WHERE outcome = 'conflict') AS failed
            FROM import_rows
        )
        UPDATE lead_imports SET rows_read = rows_read + @read,
            created_count = created_count + counted.created, updated_count = updated_count + counted.updated,
            skipped_count = skipped_count + counted.skipped + @skippedInFile, failed_count = failed_count + counted.failed + @failedInFile,
            committed_through_row = @through
        FROM counted WHERE tenant_id = @tenant AND id = @import
        RETURNING counted.created::int AS created, counted.updated::int AS updated, counted.skipped::int AS skipped, counted.failed::int AS failed
        """;

    /// <param name="rows">Valid rows, in file order, none repeating another's phone or e-mail (see <see cref="DuplicateRows"/>).</param>
    /// <param name="problems">Problems of the rows kept out before this (invalid rows, in-file duplicates).</param>
    /// <param name="read">How many data rows this batch decided, the kept-out ones included.</param>
    /// <param name="pipelineId">The pipeline and first stage a new lead gets when its row names no stage.</param>
    public static async Task<ImportBatchResult> WriteAsync(TenantSession session, string importId, DuplicatePolicy policy, string? actorUserId,
        string? pipelineId, string? firstStageId, IReadOnlyList<ImportRow> rows, IReadOnlyList<ImportProblem> problems, int failedInFile, int skippedInFile, int read, int throughRow,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parameters = new { import = importId, now, actor = actorUserId, pipeline = pipelineId, stage = firstStageId };
        var steps = new System.Text.StringBuilder();
        var mark = System.Diagnostics.Stopwatch.GetTimestamp();
        void Step(string name)
        {
            steps.Append(System.Globalization.CultureInfo.InvariantCulture, $"{name} {System.Diagnostics.Stopwatch.GetElapsedTime(mark).TotalMilliseconds:0} ms, ");
            mark = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        await session.ExecuteAsync(Staging, cancellationToken: cancellationToken);
        await CopyAsync(session, rows, cancellationToken);
        Step("copy");

        await session.ExecuteAsync(Match, cancellationToken: cancellationToken);
        if (policy != DuplicatePolicy.Create) await session.ExecuteAsync(SameLead, cancellationToken: cancellationToken);
        Step("match");
        await session.ExecuteAsync(Insert.Replace("{filter}", policy == DuplicatePolicy.Create ? "true" : "existing_id IS NULL", StringComparison.Ordinal),
            parameters, cancellationToken);
        Step("insert");
        var updated = policy switch
        {
            DuplicatePolicy.FillEmpty or DuplicatePolicy.Overwrite => await session.QueryAsync<string>(MergeSql(policy), parameters, cancellationToken),
            _ => [],
        };
        await session.ExecuteAsync("UPDATE import_rows SET outcome = 'skipped' WHERE outcome IS NULL", cancellationToken: cancellationToken);
        Step("merge");
        await session.ExecuteAsync(Activities, parameters, cancellationToken);
        Step("timeline");
        await session.ExecuteAsync(RowProblems, parameters, cancellationToken);
        if (problems.Count > 0)
        {
            await session.ExecuteAsync(Problems, new
            {
                import = importId,
                rows = problems.Select(p => p.RowNumber).ToArray(),
                columns = problems.Select(p => p.Column).ToArray(),
                values = problems.Select(p => p.Value).ToArray(),
                problems = problems.Select(p => p.Problem.Length <= 500 ? p.Problem : p.Problem[..500]).ToArray(),
            }, cancellationToken);
        }
        var counts = await session.QuerySingleOrDefaultAsync<BatchCounts>(Counters, new
        {
            import = importId, read, through = throughRow, skippedInFile, failedInFile,
        }, cancellationToken) ?? throw new InvalidOperationException($"Lead import {importId} has no row.");
        Step("problems and counters");
        return new ImportBatchResult(counts.Created, counts.Updated, counts.Skipped + skippedInFile, counts.Failed + failedInFile, [.. updated], steps.ToString());
    }

    /// <summary>
    /// Merges rows into the leads they match: <see cref="DuplicatePolicy.FillEmpty"/> keeps what the lead has and fills
    /// its gaps, <see cref="DuplicatePolicy.Overwrite"/> lets the file's non-empty cells win. Tags are added, never
    /// removed. A phone moves only when no other lead has it (phones are unique). Only leads that really change are
    /// written (and get a new version), so importing the same file twice changes nothing the second time.
    /// </summary>
    private static string MergeSql(DuplicatePolicy policy)
    {
        string Pick(string column) => policy == DuplicatePolicy.FillEmpty ? $"coalesce(l.{column}, r.{column})" : $"coalesce(r.{column}, l.{column})";
        var phoneKept = policy == DuplicatePolicy.FillEmpty ? "l.phone_e164 IS NOT NULL OR " : "";
        var custom = policy == DuplicatePolicy.FillEmpty ? "r.custom_fields || l.custom_fields" : "l.custom_fields || r.custom_fields";
        string[] simple = ["display_name", "first_name", "last_name", "company", "title", "email", "owner_user_id"];
        return $$"""
            WITH next AS (
                SELECT l.id, {{string.Join(", ", simple.Select(c => $"{Pick(c)} AS {c}"))}},
                    CASE WHEN {{phoneKept}}r.phone_e164 IS NULL
                              OR EXISTS (SELECT 1 FROM leads o WHERE o.tenant_id = @tenant AND o.phone_e164 = r.phone_e164 AND o.id <> l.id)
                         THEN l.phone_e164 ELSE r.phone_e164 END AS phone_e164,
                    l.tags || ARRAY(SELECT t FROM unnest(r.tags) t WHERE NOT t = ANY (l.tags)) AS tags,
                    {{custom}} AS custom_fields,
                    CASE WHEN r.stage_id IS NULL OR ({{(policy == DuplicatePolicy.FillEmpty ? "l.stage_id IS NOT NULL" : "false")}}) THEN l.pipeline_id ELSE r.pipeline_id END AS pipeline_id,
                    CASE WHEN r.stage_id IS NULL OR ({{(policy == DuplicatePolicy.FillEmpty ? "l.stage_id IS NOT NULL" : "false")}}) THEN l.stage_id ELSE r.stage_id END AS stage_id
                FROM import_rows r JOIN leads l ON l.tenant_id = @tenant AND l.id = r.existing_id
                WHERE r.outcome IS NULL
            ), changed AS (
                UPDATE leads l SET {{string.Join(", ", simple.Select(c => $"{c} = n.{c}"))}}, phone_e164 = n.phone_e164, tags = n.tags,
                    custom_fields = n.custom_fields, pipeline_id = n.pipeline_id, stage_id = n.stage_id, updated_at = @now, version = l.version + 1,
                    score_rules_version = 0
                FROM next n
                WHERE l.tenant_id = @tenant AND l.id = n.id
                  AND ({{string.Join(", ", simple.Select(c => $"l.{c}"))}}, l.phone_e164, l.tags, l.custom_fields, l.pipeline_id, l.stage_id)
                      IS DISTINCT FROM ({{string.Join(", ", simple.Select(c => $"n.{c}"))}}, n.phone_e164, n.tags, n.custom_fields, n.pipeline_id, n.stage_id)
                RETURNING l.id
            ), marked AS (
                UPDATE import_rows r SET outcome = 'updated' WHERE r.outcome IS NULL AND r.existing_id IN (SELECT id FROM changed)
            )
            SELECT id FROM changed
            """;
    }

    private static async Task CopyAsync(TenantSession session, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        await using var copy = await session.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var row in rows)
        {
            var lead = row.Lead;
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(lead.RowNumber, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(row.NewId, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(copy, lead.DisplayName ?? lead.Company ?? lead.Email ?? lead.PhoneE164, cancellationToken);
            await WriteNullableAsync(copy, lead.FirstName, cancellationToken);
            await WriteNullableAsync(copy, lead.LastName, cancellationToken);
            await WriteNullableAsync(copy, lead.Company, cancellationToken);
            await WriteNullableAsync(copy, lead.Title, cancellationToken);
            await WriteNullableAsync(copy, lead.Email, cancellationToken);
            await WriteNullableAsync(copy, lead.PhoneE164, cancellationToken);
            await copy.WriteAsync(lead.Source ?? "import", NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(lead.Tags.IsDefault ? [] : lead.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(copy, row.OwnerUserId, cancellationToken);
            await WriteNullableAsync(copy, row.PipelineId, cancellationToken);
            await WriteNullableAsync(copy, row.StageId, cancellationToken);
            await copy.WriteAsync(JsonSerializer.Serialize(lead.CustomFields, ApiJson.Options), NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(copy, lead.Notes, cancellationToken, NpgsqlDbType.Text);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(Npgsql.NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken, NpgsqlDbType type = NpgsqlDbType.Varchar) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private sealed class BatchCounts
    {
        public int Created { get; init; }
        public int Updated { get; init; }
        public int Skipped { get; init; }
        public int Failed { get; init; }
    }
}
