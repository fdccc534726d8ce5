using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Accounts;

/// <summary>Sign-up with email confirmation: it never tells whether an address is registered, and its link works once.</summary>
public sealed class SignupTests : IAsyncLifetime
{
    private TestFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    [Fact]
    public async Task Signing_up_with_a_new_or_an_already_registered_email_gives_the_same_answer()
    {
        var registered = await TestUser.SignUpAsync(_frontend);
        var fresh = $"new-{Guid.NewGuid():N}@example.com";

        var forNew = await StartSignupAsync(fresh);
        var forRegistered = await StartSignupAsync(registered.Email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.Accepted, forNew.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forRegistered.StatusCode);
        Assert.Equal(forNew.Content.Headers.ContentType?.ToString(), forRegistered.Content.Headers.ContentType?.ToString());
        Assert.Equal(await forNew.Content.ReadAsStringAsync(), await forRegistered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_up_with_a_registered_email_takes_about_as_long_as_with_a_new_one()
    {
        var registered = await TestUser.SignUpAsync(_frontend);
        await StartSignupAsync($"warm-{Guid.NewGuid():N}@example.com");
        var forNew = new List<double>();
        var forRegistered = new List<double>();

        // Interleaved, so a slow moment of the machine hits both kinds alike; medians ignore the odd outlier.
        for (var i = 0; i < 7; i++)
        {
            forNew.Add(await TimeAsync(() => StartSignupAsync($"timing-{Guid.NewGuid():N}@example.com")));
            forRegistered.Add(await TimeAsync(() => StartSignupAsync(registered.Email)));
        }

        var (newMedian, registeredMedian) = (forNew.Order().ElementAt(3), forRegistered.Order().ElementAt(3));
        Assert.True(registeredMedian >= newMedian * 0.5,
            $"a registered email answered in {registeredMedian:0} ms, a new one in {newMedian:0} ms: the difference tells them apart");
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> request)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await request();
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    [Fact]
    public async Task A_registered_email_is_told_someone_tried_to_sign_up_and_gets_no_sign_up_token()
    {
        var registered = await TestUser.SignUpAsync(_frontend);

        await StartSignupAsync(registered.Email);

        var mail = await NewestEmailAsync(registered.Email);
        Assert.Equal("Someone tried to sign up with your email", mail.Subject);
        Assert.DoesNotContain("Sign-up token", mail.Body);
        var pending = await OwnerSql.QueryAsync(_frontend, "SELECT id FROM signup_requests WHERE email_normalized = @email AND completed_at IS NULL",
            ("email", registered.Email.ToLowerInvariant()));
        Assert.Empty(pending);
    }

    [Fact]
    public async Task A_new_email_gets_a_confirmation_with_a_token_and_confirming_signs_in_as_owner_of_the_new_tenant()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";

        await StartSignupAsync(email, company: "Fresh Foods");
        var mail = await NewestEmailAsync(email);
        var token = await TestUser.SignupTokenFromOutboxAsync(_frontend, email);
        var confirmed = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });

        Assert.Equal("Confirm your Flexoraa sign-up", mail.Subject);
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        var session = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("owner", session.GetProperty("role").GetString());
        var user = TestUser.FromSession(_frontend, email, session);
        var me = await user.Http.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("Fresh Foods", me.GetProperty("tenants")[0].GetProperty("tenantName").GetString());
    }

    [Fact]
    public async Task A_confirmation_token_works_only_once()
    {
        var email = $"once-{Guid.NewGuid():N}@example.com";
        await StartSignupAsync(email);
        var token = await TestUser.SignupTokenFromOutboxAsync(_frontend, email);

        var first = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });
        var second = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _), $"the problem should name the token: {problem}");
        var users = await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE email_normalized = @email", ("email", email));
        Assert.Single(users);
    }

    [Fact]
    public async Task An_expired_confirmation_token_is_refused()
    {
        var email = $"late-{Guid.NewGuid():N}@example.com";
        await StartSignupAsync(email);
        var token = await TestUser.SignupTokenFromOutboxAsync(_frontend, email);
        await OwnerSql.ExecuteAsync(_frontend, "UPDATE signup_requests SET expires_at = now() - interval '1 minute' WHERE email_normalized = @email", ("email", email));

        var confirmed = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token });

        Assert.Equal(HttpStatusCode.BadRequest, confirmed.StatusCode);
        Assert.Empty(await OwnerSql.QueryAsync(_frontend, "SELECT id FROM users WHERE email_normalized = @email", ("email", email)));
    }

    [Theory]
    [InlineData("""{"email":"not-an-email","password":"long enough password","displayName":"A","companyName":"B"}""", "email")]
    [InlineData("""{"email":"a@example.com","password":"short","displayName":"A","companyName":"B"}""", "password")]
    [InlineData("""{"email":"a@example.com","password":"long enough password","displayName":"  ","companyName":"B"}""", "displayName")]
    [InlineData("""{"email":"a@example.com","password":"long enough password","displayName":"A"}""", "companyName")]
    public async Task A_sign_up_with_a_bad_field_gets_a_400_problem_naming_it(string body, string field)
    {
        var response = await _frontend.Http.PostAsync("/api/v1/auth/signup", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Single(errors.EnumerateObject());
    }

    [Fact]
    public async Task Confirming_without_a_token_names_the_token_field()
    {
        var response = await _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup/confirm", new { token = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
    }

    private Task<HttpResponseMessage> StartSignupAsync(string email, string company = "Someone Ltd") =>
        _frontend.Http.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = TestUser.DefaultPassword, displayName = "Someone", companyName = company });

    private async Task<(string Subject, string Body)> NewestEmailAsync(string email)
    {
        var rows = await OwnerSql.QueryAsync(_frontend, "SELECT subject, body FROM outbound_emails WHERE lower(recipient) = lower(@to) ORDER BY id DESC LIMIT 1", ("to", email));
        Assert.Single(rows);
        return ((string)rows[0]["subject"]!, (string)rows[0]["body"]!);
    }
}
