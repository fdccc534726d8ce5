using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Leads.Import;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace Flexoraa.Tests.Leads.Import;

/// <summary>A frontend with small import limits and batches, so limits and multi-batch runs are cheap to reach.</summary>
public sealed class LeadImportHost : IAsyncLifetime
{
    public const int MaxFileBytes = 200_000;
    public const int MaxRows = 2_000;
    public const int BatchRows = 50;

    public TestFrontend Frontend { get; private set; } = null!;

    public async Task InitializeAsync() => Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), null, null,
        $"--Flexoraa:LeadImports:MaxFileBytes={MaxFileBytes}", $"--Flexoraa:LeadImports:MaxRows={MaxRows}", $"--Flexoraa:LeadImports:BatchRows={BatchRows}");

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}

/// <summary>
/// Lead imports through the API: real files in, a job that runs in batches, leads in the list, an error report out;
/// re-imports that create no duplicates; the duplicate policies; previews; limits; cancel; resume after a crash.
/// </summary>
public sealed class LeadImportApiTests(LeadImportHost host) : IClassFixture<LeadImportHost>
{
    private readonly TestFrontend _frontend = host.Frontend;

    private const string HubSpotExport =
        "First Name;Last Name;Email;Mobile Phone Number;Company Name;Job Title;Lead Status;Labels\r\n" +
        "Asha;Rao;Asha.Rao@Example.com;098765 43210;Rao Textiles;Director;Contacted;vip, expo\r\n" +
        "Vikram;Shah;vikram@example.com;+91 99887 76655;\"Shah & Sons; Pvt\";Owner;;\r\n" +
        "Bad;Phone;bad@example.com;12;Acme;;;\r\n" +
        "=HYPERLINK(\"http://evil\");X;not-an-email;;Evil Co;;;\r\n" +
        "Asha;Again;asha.rao@example.com;;Duplicate Row;;;\r\n";

    [Fact]
    public async Task A_HubSpot_export_with_a_BOM_and_semicolons_imports_its_good_rows_and_reports_the_rest()
    {
        var owner = await SignUpAsync("IN");
        await using var hub = await InboxClient.ConnectAsync(_frontend, owner.AccessToken);

        var response = await owner.Http.PostAsync("/api/v1/lead-imports", Multipart(Utf8WithBom(HubSpotExport), "hubspot.csv"));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("import").GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/lead-imports/{id}", response.Headers.Location!.ToString());
        Assert.Equal(("utf-8", ";", 5), (accepted.GetProperty("import").GetProperty("encoding").GetString(),
            accepted.GetProperty("import").GetProperty("delimiter").GetString(), accepted.GetProperty("import").GetProperty("totalRows").GetInt32()));
        var done = await CompletedAsync(owner, id);
        Assert.Equal(("completed", 5, 2, 0, 1, 2), (S(done, "status"), I(done, "rowsRead"), I(done, "created"), I(done, "updated"), I(done, "skipped"), I(done, "failed")));

        var (_, progress) = await hub.NextAsync((name, p) => name == "ImportProgress" && p.GetProperty("import").GetProperty("status").GetString() == "completed");
        Assert.Equal(id, progress.GetProperty("import").GetProperty("id").GetString());
        Assert.Equal(2, progress.GetProperty("import").GetProperty("created").GetInt32());

        var leads = await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/leads?source=import&sort=name");
        var asha = leads.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("firstName").GetString() == "Asha");
        Assert.Equal("+919876543210", asha.GetProperty("phone").GetString());
        Assert.Equal("asha.rao@example.com", asha.GetProperty("email").GetString());
        Assert.Equal("st_contacted", asha.GetProperty("stageId").GetString());
        Assert.Equal(["vip", "expo"], asha.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var vikram = leads.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("firstName").GetString() == "Vikram");
        Assert.Equal("Shah & Sons; Pvt", vikram.GetProperty("company").GetString());
        Assert.Equal("st_new", vikram.GetProperty("stageId").GetString());

        var timeline = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{asha.GetProperty("id").GetString()}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), a => a.GetProperty("kind").GetString() == "created");

        var report = await owner.Http.GetAsync($"/api/v1/lead-imports/{id}/errors");
        Assert.Equal("text/csv", report.Content.Headers.ContentType!.MediaType);
        var lines = (await report.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("row,column,value,problem", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("4,Mobile Phone Number,12,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("5,Email,not-an-email,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("6,,asha.rao@example.com,duplicate of row 2", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Importing_the_same_file_again_creates_no_duplicates()
    {
        var owner = await SignUpAsync("IN");
        var first = await CompletedAsync(owner, await UploadAsync(owner, HubSpotExport));

        var again = await CompletedAsync(owner, await UploadAsync(owner, HubSpotExport));

        Assert.Equal(2, I(first, "created"));
        Assert.Equal((0, 0, 3, 2), (I(again, "created"), I(again, "updated"), I(again, "skipped"), I(again, "failed")));
        Assert.Equal(2, await LeadCountAsync(owner));
    }

    [Fact]
    public async Task FillEmpty_fills_only_the_gaps_of_existing_leads_and_overwrite_lets_the_file_win()
    {
        var owner = await SignUpAsync("IN");
        var created = await owner.Http.PostAsJsonAsync("/api/v1/leads", new { firstName = "Meera", email = "meera@example.com", title = "Buyer" });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        const string file = "Email,Company,Job Title\nMEERA@example.com,Meera Exports,Head of Purchasing\n";

        var filled = await CompletedAsync(owner, await UploadAsync(owner, file, "duplicates=fillEmpty"));
        var afterFill = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}");
        var unchanged = await CompletedAsync(owner, await UploadAsync(owner, file, "duplicates=fillEmpty"));
        var overwritten = await CompletedAsync(owner, await UploadAsync(owner, file, "duplicates=overwrite"));
        var afterOverwrite = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}");

        Assert.Equal((0, 1), (I(filled, "created"), I(filled, "updated")));
        Assert.Equal(("Meera Exports", "Buyer"), (S(afterFill, "company"), S(afterFill, "title")));
        Assert.Equal((0, 1), (I(unchanged, "updated"), I(unchanged, "skipped")));
        Assert.Equal(1, I(overwritten, "updated"));
        Assert.Equal("Head of Purchasing", S(afterOverwrite, "title"));
        Assert.True(afterOverwrite.GetProperty("version").GetInt64() > afterFill.GetProperty("version").GetInt64(), "an import's change gives the lead a new version");
        Assert.Equal(1, await LeadCountAsync(owner));
    }

    [Fact]
    public async Task A_dry_run_shows_format_mapping_and_first_rows_with_their_problems_and_stores_nothing()
    {
        var owner = await SignUpAsync("IN");
        var utf16 = "Name\tE-mail Address\tMobile Phone\tFax\r\nZoë Ångström\tzoe@example.com\t98765 43210\t1\r\nNo One\tnope\t\t\r\n";
        var content = new ByteArrayContent([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(utf16)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await owner.Http.PostAsync("/api/v1/lead-imports?dryRun=true&mapping=" + Uri.EscapeDataString("{\"Fax\": null}"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("utf-16le", "tab"), (S(preview, "encoding"), S(preview, "delimiter")));
        var mapping = preview.GetProperty("mapping").EnumerateArray().ToDictionary(c => c.GetProperty("header").GetString()!, c => c.GetProperty("field").GetString());
        Assert.Equal("fullName", mapping["Name"]);
        Assert.Equal("email", mapping["E-mail Address"]);
        Assert.Equal("phone", mapping["Mobile Phone"]);
        Assert.Null(mapping["Fax"]);
        var rows = preview.GetProperty("rows");
        Assert.Equal("+919876543210", rows[0].GetProperty("lead").GetProperty("phoneE164").GetString());
        Assert.Equal("Zoë", rows[0].GetProperty("lead").GetProperty("firstName").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("lead").ValueKind);
        Assert.Contains("not an e-mail address", rows[1].GetProperty("problems")[0].GetProperty("problem").GetString());
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/lead-imports")).EnumerateArray());
    }

    [Fact]
    public async Task Bad_uploads_get_a_4xx_that_names_the_problem_and_leave_nothing_behind()
    {
        var owner = await SignUpAsync("IN");
        var blobs = Directory.Exists(BlobFolder(owner)) ? Directory.GetFiles(BlobFolder(owner)).Length : 0;

        var tooBig = await owner.Http.PostAsync("/api/v1/lead-imports", Csv("Name,Email\n" + string.Concat(Enumerable.Repeat("Ann,ann@example.com\n", 12_000))));
        var tooManyRows = await owner.Http.PostAsync("/api/v1/lead-imports", Csv("Email\n" + string.Concat(Enumerable.Range(0, LeadImportHost.MaxRows + 1).Select(i => $"a{i}@x.io\n"))));
        var noIdentity = await owner.Http.PostAsync("/api/v1/lead-imports", Csv("Colour,Size\nred,XL\n"));
        var badPolicy = await owner.Http.PostAsync("/api/v1/lead-imports?duplicates=merge", Csv("Email\na@x.io\n"));
        var badMapping = await owner.Http.PostAsync("/api/v1/lead-imports?mapping=" + Uri.EscapeDataString("{\"Email\": \"shoeSize\"}"), Csv("Email\na@x.io\n"));
        var empty = await owner.Http.PostAsync("/api/v1/lead-imports", Csv(""));
        var json = await owner.Http.PostAsJsonAsync("/api/v1/lead-imports", new { email = "a@x.io" });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains($"{LeadImportHost.MaxFileBytes} bytes", await tooBig.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooManyRows.StatusCode);
        Assert.Contains($"{LeadImportHost.MaxRows} rows", await tooManyRows.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noIdentity.StatusCode);
        Assert.Contains("'Colour', 'Size'", await noIdentity.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badPolicy.StatusCode);
        Assert.Contains("fillEmpty", await badPolicy.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badMapping.StatusCode);
        Assert.Contains("shoeSize", await badMapping.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Empty((await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/lead-imports")).EnumerateArray());
        Assert.Equal(blobs, Directory.Exists(BlobFolder(owner)) ? Directory.GetFiles(BlobFolder(owner)).Length : 0);
    }

    [Fact]
    public async Task Cancelling_stops_after_the_batch_in_flight_and_what_was_committed_stays_counted()
    {
        var owner = await SignUpAsync("IN");
        var file = "Email,Name\n" + string.Concat(Enumerable.Range(0, 1_900).Select(i => $"lead{i}@example.com,Lead {i}\n"));
        var id = await UploadAsync(owner, file);

        var cancel = await owner.Http.PostAsync($"/api/v1/lead-imports/{id}/cancel", null);
        var done = await FinishedAsync(owner, id);

        if (cancel.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal("cancelled", S(done, "status"));
            Assert.True(I(done, "rowsRead") < 1_900, $"a cancelled import stops early (read {I(done, "rowsRead")})");
            Assert.Equal(0, I(done, "rowsRead") % LeadImportHost.BatchRows);
        }
        else
        {
            // The whole file made it before the cancel arrived: then the cancel is refused, never half-applied.
            Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
            Assert.Equal("completed", S(done, "status"));
        }
        Assert.Equal(I(done, "created"), await LeadCountAsync(owner));
    }

    [Fact]
    public async Task After_a_crash_the_import_resumes_after_its_last_committed_batch_without_duplicating_rows()
    {
        var owner = await SignUpAsync("IN");
        var file = "Email,Name\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"r{i}@example.com,Row {i}\n")) + "r5@example.com,Repeat of row 7\n";
        var id = await CompletedAsync(owner, await UploadAsync(owner, file)) is var first ? S(first, "id") : null;
        // Make it look as if the silo died after the first batch (rows 2..51) committed: the later leads and counts
        // are gone and the row says "running", as a crash would leave it.
        await OwnerSql.ExecuteAsync(_frontend, "DELETE FROM leads WHERE tenant_id = @tenant AND import_id = @import AND email NOT IN (SELECT 'r' || g || '@example.com' FROM generate_series(0, 49) g)",
            ("tenant", owner.TenantId), ("import", id!));
        await OwnerSql.ExecuteAsync(_frontend, """
            UPDATE lead_imports SET status = 'running', finished_at = NULL, rows_read = 50, created_count = 50, skipped_count = 0, committed_through_row = 51
            WHERE tenant_id = @tenant AND id = @import
            """, ("tenant", owner.TenantId), ("import", id!));

        await _frontend.Services.GetRequiredService<IGrainFactory>().GetGrain<ILeadImportGrain>(LeadImportKeys.GrainKey(owner.TenantId, id!)).Start();
        var resumed = await CompletedAsync(owner, id!);

        Assert.Equal((121, 120, 1), (I(resumed, "rowsRead"), I(resumed, "created"), I(resumed, "skipped")));
        Assert.Equal(120, await LeadCountAsync(owner));
    }

    private async Task<TestUser> SignUpAsync(string region)
    {
        var owner = await TestUser.SignUpAsync(_frontend, company: "Import Co");
        var settings = await owner.Http.PatchAsJsonAsync($"/api/v1/tenants/{owner.TenantId}", new { defaultRegion = region });
        settings.EnsureSuccessStatusCode();
        return owner;
    }

    private string BlobFolder(TestUser owner) =>
        Path.Combine(((Flexoraa.Media.FileSystemMediaBlobStore)_frontend.Services.GetRequiredService<Flexoraa.Media.IMediaBlobStore>()).Root, owner.TenantId);

    private static async Task<string> UploadAsync(TestUser owner, string csv, string query = "")
    {
        var response = await owner.Http.PostAsync("/api/v1/lead-imports?" + query, Csv(csv));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("import").GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> CompletedAsync(TestUser owner, string id) =>
        FinishedAsync(owner, id).ContinueWith(t =>
        {
            Assert.Equal("completed", S(t.Result, "status"));
            return t.Result;
        }, TaskScheduler.Default);

    private static Task<JsonElement> FinishedAsync(TestUser owner, string id) => Eventually.Get(
        async () => (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/lead-imports/{id}")).GetProperty("import"),
        import => S(import, "status") is "completed" or "failed" or "cancelled", TimeSpan.FromSeconds(60), $"import {id} to finish");

    private async Task<int> LeadCountAsync(TestUser owner) =>
        Convert.ToInt32((await OwnerSql.QueryAsync(_frontend, "SELECT count(*) AS n FROM leads WHERE tenant_id = @tenant", ("tenant", owner.TenantId)))[0]["n"], System.Globalization.CultureInfo.InvariantCulture);

    private static StringContent Csv(string text) => new(text, new UTF8Encoding(false), "text/csv");

    private static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    private static MultipartFormDataContent Multipart(byte[] file, string name)
    {
        var content = new MultipartFormDataContent { { new StringContent("skip"), "duplicates" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", name);
        return content;
    }

    private static string? S(JsonElement json, string name) => json.GetProperty(name).GetString();

    private static int I(JsonElement json, string name) => json.GetProperty(name).GetInt32();
}
