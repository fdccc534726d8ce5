using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.FrontendApi.Platform.OpenApi;
using Flexoraa.Leads.Import;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Flexoraa.FrontendApi.Leads.Import;

/// <summary>
/// <c>/api/v1/lead-imports</c>: upload a CSV (multipart with a <c>file</c> part, or the raw file as <c>text/csv</c>), see
/// its progress, download its error report, cancel it. The upload streams to the blob store through a byte limit, so a
/// file is never held in memory; it is then read once to count its rows and check it is a table at all, and only a file
/// that passes becomes a job. A dry run parses the upload as it streams in and answers its first rows without storing
/// anything.
/// </summary>
public static class LeadImportsApi
{
    public const int PreviewRows = 20;

    private static readonly string[] Identifying = [LeadImportField.FirstName, LeadImportField.LastName, LeadImportField.FullName,
        LeadImportField.Email, LeadImportField.Phone, LeadImportField.Company];

    public static RouteGroupBuilder MapLeadImportsApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/lead-imports").WithTags("Lead imports");
        imports.MapPost("/", Upload).RequirePermission(Permission.WorkLeads).WithName("CreateLeadImport")
            .Accepts<IFormFile>("multipart/form-data", "text/csv")
            .WithQueryParameter("dryRun", "true: answer the detected format, the column mapping and the first 20 rows as they would import, and store nothing.")
            .WithQueryParameter("duplicates", "What to do with a row that is already a lead (same phone or e-mail): skip (default), fillEmpty, overwrite or create.")
            .WithQueryParameter("mapping", "A JSON object of column header to lead field (firstName, lastName, fullName, email, phone, company, title, source, stage, tags, owner, notes or custom:<key>), null to ignore a column; unnamed columns keep the automatic mapping.")
            .WithQueryParameter("fileName", "The file's name, for a raw text/csv upload.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Import leads from a CSV file (202 with the job), or preview it with dryRun=true");
        imports.MapGet("/", List).RequirePermission(Permission.ReadLeads).WithName("ListLeadImports")
            .WithSummary("The tenant's recent imports, newest first");
        imports.MapGet("/{importId}", Get).RequirePermission(Permission.ReadLeads).WithName("GetLeadImport")
            .WithSummary("One import's progress: rows read, created, updated, skipped and failed");
        imports.MapGet("/{importId}/errors", Errors).RequirePermission(Permission.ReadLeads).WithName("GetLeadImportErrors")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("The error report as CSV: row, column, value and problem, one line per problem, formula-safe for spreadsheets");
        imports.MapPost("/{importId}/cancel", Cancel).RequirePermission(Permission.WorkLeads).WithName("CancelLeadImport")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stop an import after the batch in flight; what was committed stays");
        return api;
    }

    private static async Task<Results<Accepted<LeadImportView>, Ok<LeadImportPreview>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpContext http, [AsParameters] LeadImportServices services, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var limits = services.Settings.Value;
        var options = new LeadImportOptions();
        foreach (var (name, value) in http.Request.Query)
        {
            if (options.Set(name, value.ToString()) is { } bad) return ApiProblems.Validation(bad.Field, bad.Message);
        }
        // The API's small default body limit is for JSON; an import may be as large as the largest file accepted.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limits.MaxFileBytes + 64 * 1024;
        if (http.Request.ContentLength > limits.MaxFileBytes + 64 * 1024) return TooLarge(limits.MaxFileBytes);

        try
        {
            var file = await FilePartAsync(http.Request, options, cancellationToken);
            if (file.Problem is { } problem) return problem;
            var upload = new LimitedStream(file.Body!, limits.MaxFileBytes);
            var region = (await services.Grains.GetGrain<ITenantGrain>(caller.TenantId).Get())?.Settings.DefaultRegion;
            return options.DryRun
                ? await PreviewAsync(upload, options, region, cancellationToken)
                : await StoreAsync(upload, options, region, caller, services, cancellationToken);
        }
        catch (UploadTooLargeException e)
        {
            return TooLarge(e.MaxBytes);
        }
        catch (CsvFileException e)
        {
            return ApiProblems.Validation("file", e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limits.MaxFileBytes);
        }
        catch (IOException)
        {
            return ApiProblems.Validation("body", "The upload ended early: the body is incomplete.");
        }
    }

    /// <summary>The file's bytes: the body itself for text/csv, or the <c>file</c> part of a multipart body (reading the fields before it).</summary>
    private static async Task<(Stream? Body, Results<Accepted<LeadImportView>, Ok<LeadImportPreview>, ValidationProblem, ProblemHttpResult>? Problem)> FilePartAsync(
        HttpRequest request, LeadImportOptions options, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed : null;
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        if (mediaType is "text/csv" or "text/plain" or "application/csv" or "application/octet-stream" or "text/tab-separated-values")
        {
            return (request.Body, null);
        }
        if (mediaType != "multipart/form-data")
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the file as multipart/form-data with a 'file' part, or as the raw body with Content-Type text/csv."));
        }
        var boundary = HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) return (null, ApiProblems.Validation("body", "The multipart Content-Type has no boundary."));

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            // IsFormDisposition() means "a field, not a file", so the file part is told by its disposition type alone.
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (name == "file")
            {
                if (HeaderUtilities.RemoveQuotes(disposition.FileName).Value is { Length: > 0 } fileName && options.FileName is null
                    && options.Set("fileName", fileName) is { } badName)
                {
                    return (null, ApiProblems.Validation("file", badName.Message));
                }
                return (section.Body, null);
            }
            using var text = new StreamReader(section.Body);
            var value = await text.ReadToEndAsync(cancellationToken);
            if (value.Length > 64 * 1024) return (null, ApiProblems.Validation(name, $"The '{name}' field is longer than 64 KiB."));
            if (options.Set(name, value) is { } bad) return (null, ApiProblems.Validation(bad.Field, bad.Message));
        }
        return (null, ApiProblems.Validation("file", "The multipart body has no 'file' part (send the options before it)."));
    }

    private static async Task<Results<Accepted<LeadImportView>, Ok<LeadImportPreview>, ValidationProblem, ProblemHttpResult>> PreviewAsync(
        Stream upload, LeadImportOptions options, string? region, CancellationToken cancellationToken)
    {
        await using var reader = await LeadCsvReader.OpenAsync(upload, cancellationToken);
        if (Mapping(reader.Headers, options) is not { } mapping) return MappingProblem(reader.Headers, options);
        if (mapping.Problem is { } invalid) return invalid;
        var rowReader = new LeadRowReader(mapping.Value!, region);
        var duplicates = new DuplicateRows();
        var rows = new List<LeadImportPreviewRow>(PreviewRows);
        await foreach (var row in reader.ReadRowsAsync(cancellationToken))
        {
            if (rowReader.TryRead(row, out var lead, out var problems) && duplicates.Check(lead!) is { } duplicate)
            {
                (lead, problems) = (null, [duplicate]);
            }
            rows.Add(new LeadImportPreviewRow(row.RowNumber, row.Cells, lead, problems));
            if (rows.Count == PreviewRows) break;
        }
        return TypedResults.Ok(new LeadImportPreview(reader.Format.EncodingName, reader.Format.DelimiterName, reader.Headers, mapping.Value!.Columns, rows));
    }

    private static async Task<Results<Accepted<LeadImportView>, Ok<LeadImportPreview>, ValidationProblem, ProblemHttpResult>> StoreAsync(
        LimitedStream upload, LeadImportOptions options, string? region, Caller caller, LeadImportServices services, CancellationToken cancellationToken)
    {
        var importId = LeadImportKeys.NewImportId();
        var blobKey = await services.Blobs.PutAsync(caller.TenantId, importId, upload, cancellationToken);
        var keep = false;
        try
        {
            await using var stored = await services.Blobs.OpenReadAsync(caller.TenantId, blobKey, cancellationToken)
                ?? throw new IOException("The stored upload cannot be read back.");
            await using var reader = await LeadCsvReader.OpenAsync(stored, cancellationToken);
            if (Mapping(reader.Headers, options) is not { } mapping) return MappingProblem(reader.Headers, options);
            if (mapping.Problem is { } invalid) return invalid;
            var rows = 0;
            await foreach (var _ in reader.ReadRowsAsync(cancellationToken))
            {
                if (++rows > services.Settings.Value.MaxRows)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many rows",
                        detail: $"The file has more than the {services.Settings.Value.MaxRows} rows one import may have; split it into several files.");
                }
            }

            var record = new LeadImportRecord
            {
                Id = importId, CreatedByUserId = caller.UserId, FileName = options.FileName, BlobKey = blobKey, FileBytes = upload.BytesRead,
                Encoding = reader.Format.EncodingName, Delimiter = reader.Format.DelimiterName,
                Headers = JsonSerializer.Serialize(reader.Headers, ApiJson.Options), Mapping = LeadImportStore.MappingJson(mapping.Value!),
                DuplicatePolicy = ApiJson.NameOf(options.Duplicates), DefaultRegion = region, Status = ApiJson.NameOf(LeadImportState.Queued),
                TotalRows = rows, CreatedAt = services.Clock.GetUtcNow(),
            };
            await services.Imports.CreateAsync(caller.TenantId, record, cancellationToken);
            keep = true;
            await services.Grains.GetGrain<ILeadImportGrain>(LeadImportKeys.GrainKey(caller.TenantId, importId)).Start();
            var created = await services.Imports.FindAsync(caller.TenantId, importId, cancellationToken) ?? record;
            return TypedResults.Accepted($"/api/v1/lead-imports/{importId}", LeadImportView.From(created));
        }
        finally
        {
            // A refused file leaves nothing behind.
            if (!keep) await services.Blobs.DeleteAsync(caller.TenantId, blobKey, CancellationToken.None);
        }
    }

    private sealed record MappingResult(ColumnMapping? Value, ValidationProblem? Problem);

    /// <summary>The automatic mapping with the caller's over it; null when no column identifies a lead.</summary>
    private static MappingResult? Mapping(IReadOnlyList<string> headers, LeadImportOptions options)
    {
        ColumnMapping mapping;
        try
        {
            mapping = ColumnMapper.Apply(ColumnMapper.Propose(headers), options.Mapping);
        }
        catch (ArgumentException e)
        {
            return new MappingResult(null, ApiProblems.Validation("mapping", e.Message));
        }
        return Identifying.Any(mapping.Maps) ? new MappingResult(mapping, null) : null;
    }

    private static ValidationProblem MappingProblem(IReadOnlyList<string> headers, LeadImportOptions options) =>
        ApiProblems.Validation("mapping", $"No column maps to a name, e-mail, phone or company, so no row could identify a lead. The columns are: " +
            $"{string.Join(", ", headers.Select(h => $"'{h}'"))}; send a mapping such as {{\"{(headers.Count > 0 ? headers[0] : "Column")}\": \"phone\"}}.");

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large",
            detail: $"An import file may be at most {RequestBodyLimits.Describe(maxBytes)}; split it into several files.");

    private static async Task<Ok<IReadOnlyList<LeadImportView>>> List([AsParameters] LeadImportServices services, HttpContext http, CancellationToken cancellationToken)
    {
        var imports = await services.Imports.ListAsync(http.Caller().TenantId, 50, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<LeadImportView>>([.. imports.Select(LeadImportView.From)]);
    }

    private static async Task<Results<Ok<LeadImportView>, ProblemHttpResult>> Get(string importId, [AsParameters] LeadImportServices services, HttpContext http,
        CancellationToken cancellationToken) =>
        await FindAsync(importId, services, http, cancellationToken) is { } import ? TypedResults.Ok(LeadImportView.From(import)) : ApiProblems.NotFound("The import");

    private static async Task<IResult> Errors(string importId, [AsParameters] LeadImportServices services, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(importId, services, http, cancellationToken) is not { } import) return ApiProblems.NotFound("The import");
        var tenantId = http.Caller().TenantId;
        return Results.Stream(async body => await ImportErrorReport.WriteAsync(body, services.Imports.ProblemsAsync(tenantId, import.Id, cancellationToken), cancellationToken),
            "text/csv; charset=utf-8", $"{import.Id}-errors.csv");
    }

    private static async Task<Results<Ok<LeadImportView>, ProblemHttpResult>> Cancel(string importId, [AsParameters] LeadImportServices services, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(importId, services, http, cancellationToken) is not { } import) return ApiProblems.NotFound("The import");
        if (import.ToStatus().IsFinished) return ApiProblems.Conflict($"The import has already ended ({import.Status}).");
        await services.Grains.GetGrain<ILeadImportGrain>(LeadImportKeys.GrainKey(http.Caller().TenantId, import.Id)).Cancel();
        return TypedResults.Ok(LeadImportView.From(await services.Imports.FindAsync(http.Caller().TenantId, import.Id, cancellationToken) ?? import));
    }

    private static Task<LeadImportRecord?> FindAsync(string importId, LeadImportServices services, HttpContext http, CancellationToken cancellationToken) =>
        LeadImportKeys.IsWellFormed(importId) ? services.Imports.FindAsync(http.Caller().TenantId, importId, cancellationToken) : Task.FromResult<LeadImportRecord?>(null);
}
