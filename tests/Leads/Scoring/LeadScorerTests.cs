using System.Collections.Immutable;
using Flexoraa.Leads;
using Flexoraa.Leads.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Flexoraa.Tests.Leads.Scoring;

/// <summary>The evaluator on its own: rule points, decay over the half-life with a fake clock, caps, grades, the breakdown.</summary>
public sealed class LeadScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly ScoringRules Rules = new(
        7,
        [
            new FitRule(FitRuleKinds.TitleContains, 15, Value: "Director"),
            new FitRule(FitRuleKinds.CustomFieldAtLeast, 10, Field: "companySize", Number: 50),
            new FitRule(FitRuleKinds.CustomFieldEquals, 5, Field: "industry", Value: "textiles"),
            new FitRule(FitRuleKinds.FreeMailDomain, -10),
            new FitRule(FitRuleKinds.CompanyPresent, 10),
            new FitRule(FitRuleKinds.SourceEquals, 5, Value: "website"),
            new FitRule(FitRuleKinds.TagPresent, 5, Value: "vip"),
            new FitRule(FitRuleKinds.PhoneCountryIn, 5, Values: ["IN", "AE"]),
        ],
        [new EngagementRule("inboundMessage", 8), new EngagementRule("meetingLogged", 40)],
        HalfLifeDays: 14, FitMax: 40, EngagementMax: 40, new ScoreGrades(80, 60, 40), []);

    private static Lead Lead(string? title = null, string? email = null, string? company = null, string? phone = null, string source = "manual",
        ImmutableArray<string> tags = default, ImmutableDictionary<string, string>? custom = null) =>
        new("ld_test", null, null, null, company, title, email, phone, source, tags.IsDefault ? [] : tags, null, null, null,
            custom ?? ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, LeadConsentStatus>.Empty, null, null, null, null, null, Start, Start, 1);

    [Fact]
    public void Each_fit_rule_that_holds_gives_its_points_and_names_itself_in_the_breakdown()
    {
        var lead = Lead(title: "Sales director", email: "asha@gmail.com", company: "Rao Textiles", phone: "+918123456789", source: "Website",
            tags: ["VIP"], custom: ImmutableDictionary<string, string>.Empty.Add("companySize", " 120 ").Add("industry", "Textiles"));

        var score = LeadScorer.Evaluate(lead, [], Rules, Start);

        Assert.Equal(["fit[0]", "fit[1]", "fit[2]", "fit[3]", "fit[4]", "fit[5]", "fit[6]", "fit[7]"], score.Fit.Items.Select(i => i.Rule));
        Assert.Equal(-10, score.Fit.Items.Single(i => i.Rule == "fit[3]").Points);
        Assert.Equal("title contains 'Director' +15", score.Fit.Items[0].Description);
        Assert.Equal(45, score.Fit.Raw);
        Assert.Equal(40, score.Fit.Points);
        Assert.Equal(40, score.Fit.Cap);
    }

    [Fact]
    public void A_rule_that_does_not_hold_gives_nothing()
    {
        var lead = Lead(title: "Intern", email: "asha@raotextiles.in", phone: "+12015550123",
            custom: ImmutableDictionary<string, string>.Empty.Add("companySize", "20").Add("industry", "steel"));

        var score = LeadScorer.Evaluate(lead, [], Rules, Start);

        Assert.Empty(score.Fit.Items);
        Assert.Equal(0, score.Total);
        Assert.Equal("D", score.Grade);
    }

    [Fact]
    public void Engagement_decays_to_half_after_one_half_life_and_to_a_quarter_after_two()
    {
        var clock = new FakeTimeProvider(Start);
        LeadEngagement[] events = [new(EngagementKind.MeetingLogged, clock.GetUtcNow(), "activity:1")];
        var lead = Lead();

        Assert.Equal(40, LeadScorer.Evaluate(lead, events, Rules, clock.GetUtcNow()).Engagement.Points);
        clock.Advance(TimeSpan.FromDays(14));
        var halfway = LeadScorer.Evaluate(lead, events, Rules, clock.GetUtcNow());
        Assert.Equal(20, halfway.Engagement.Points);
        var item = Assert.Single(halfway.Engagement.Items);
        Assert.Equal(("engagement[1]", "meetingLogged", 40.0, 20.0, "activity:1"), (item.Rule, item.Event, item.Points, Math.Round(item.PointsNow, 6), item.Reference));
        Assert.Equal(Start, item.OccurredAt);
        clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(10, LeadScorer.Evaluate(lead, events, Rules, clock.GetUtcNow()).Engagement.Points);
    }

    [Fact]
    public void Each_group_is_capped_and_the_total_is_graded()
    {
        var clock = new FakeTimeProvider(Start);
        var events = Enumerable.Range(0, 10).Select(i => new LeadEngagement(EngagementKind.InboundMessage, Start.AddMinutes(i))).ToArray();
        clock.Advance(TimeSpan.FromMinutes(10));
        var lead = Lead(title: "Director", company: "Rao", custom: ImmutableDictionary<string, string>.Empty.Add("companySize", "50"));

        var score = LeadScorer.Evaluate(lead, events, Rules, clock.GetUtcNow());

        Assert.True(score.Engagement.Raw > 79);
        Assert.Equal(40, score.Engagement.Points);
        Assert.Equal(35, score.Fit.Points);
        Assert.Equal(75, score.Total);
        Assert.Equal("B", score.Grade);
        Assert.Equal(new LeadScore(75, "B", 35, 40, 7), score.Summary);
    }

    [Fact]
    public void Negative_fit_never_takes_the_total_below_zero()
    {
        var score = LeadScorer.Evaluate(Lead(email: "x@yahoo.com"), [], Rules, Start);
        Assert.Equal(-10, score.Fit.Points);
        Assert.Equal(0, score.Total);
    }

    [Fact]
    public void Events_without_a_rule_count_nothing_and_a_meeting_ahead_of_now_has_not_decayed()
    {
        LeadEngagement[] events = [new(EngagementKind.CampaignClick, Start), new(EngagementKind.MeetingLogged, Start.AddDays(3))];
        var score = LeadScorer.Evaluate(Lead(), events, Rules, Start);
        Assert.Equal(40, score.Engagement.Points);
        Assert.Single(score.Engagement.Items);
    }

    [Fact]
    public void A_lead_forgets_events_after_ten_half_lives_and_keeps_at_most_the_newest_two_hundred()
    {
        var now = Start.AddDays(200);
        var old = new LeadEngagement(EngagementKind.InboundMessage, now.AddDays(-141));
        var recent = Enumerable.Range(0, 250).Select(i => new LeadEngagement(EngagementKind.InboundMessage, now.AddMinutes(-i))).ToList();

        var kept = LeadScorer.Retained([old, .. recent], Rules, now);

        Assert.Equal(LeadScorer.MaxEvents, kept.Length);
        Assert.DoesNotContain(old, kept);
        Assert.Equal(now, kept[^1].OccurredAt);
    }

    [Fact]
    public void The_phone_country_comes_from_the_e164_prefix()
    {
        Assert.Equal("IN", LeadScorer.PhoneCountry("+918123456789"));
        Assert.Equal("AE", LeadScorer.PhoneCountry("+971501234567"));
        Assert.Equal("US", LeadScorer.PhoneCountry("+12015550123"));
        Assert.Null(LeadScorer.PhoneCountry(null));
    }

    [Theory]
    [InlineData("fit[0].kind", "{\"kind\":\"titleIs\",\"points\":5}")]
    [InlineData("fit[0].value", "{\"kind\":\"titleContains\",\"points\":5}")]
    [InlineData("fit[0].points", "{\"kind\":\"companyPresent\",\"points\":500}")]
    [InlineData("fit[0].values[1]", "{\"kind\":\"phoneCountryIn\",\"points\":5,\"values\":[\"IN\",\"India\"]}")]
    [InlineData("fit[0].number", "{\"kind\":\"customFieldAtLeast\",\"field\":\"size\",\"points\":5}")]
    public void A_bad_fit_rule_is_named_by_its_path(string path, string ruleJson)
    {
        var rule = System.Text.Json.JsonSerializer.Deserialize<FitRule>(ruleJson, Flexoraa.Api.ApiJson.Options)!;
        Assert.False(ScoringRulesCheck.TryNormalize(Rules with { Fit = [rule] }, out _, out var found, out var error));
        Assert.Equal(path, found);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Bad_engagement_half_life_caps_and_grades_are_named()
    {
        string Path(ScoringRules rules)
        {
            ScoringRulesCheck.TryNormalize(rules, out _, out var path, out _);
            return path;
        }
        Assert.Equal("engagement[1].event", Path(Rules with { Engagement = [new("inboundMessage", 1), new("inboundMessage", 2)] }));
        Assert.Equal("engagement[0].event", Path(Rules with { Engagement = [new("pageView", 1)] }));
        Assert.Equal("halfLifeDays", Path(Rules with { HalfLifeDays = 0 }));
        Assert.Equal("fitMax", Path(Rules with { FitMax = 101 }));
        Assert.Equal("grades.a", Path(Rules with { Grades = new ScoreGrades(50, 60, 40) }));
        Assert.Equal("automations[0].minTotal", Path(Rules with { Automations = [new ScoreAutomation(0, "st_qualified")] }));
        Assert.Equal("", Path(Rules));
    }

    [Fact]
    public void Automation_moves_forward_to_the_furthest_stage_reached_and_never_out_of_won_or_lost_or_backwards()
    {
        var now = Start;
        var pipeline = new Pipeline("pl_x", "Sales", 0, PipelinesGrain.DefaultStages, now, now);
        ImmutableArray<ScoreAutomation> automations = [new(50, "st_contacted"), new(70, "st_qualified", AssignNextSdr: true)];
        Lead At(string stage) => Lead() with { PipelineId = "pl_x", StageId = stage };

        Assert.Equal(1, StageAdvance.Decide(At("st_new"), 75, automations, [pipeline])?.Index);
        Assert.Equal(0, StageAdvance.Decide(At("st_new"), 60, automations, [pipeline])?.Index);
        Assert.Null(StageAdvance.Decide(At("st_new"), 40, automations, [pipeline]));
        Assert.Null(StageAdvance.Decide(At("st_proposal"), 99, automations, [pipeline]));
        Assert.Null(StageAdvance.Decide(At("st_won"), 99, automations, [pipeline]));
        Assert.Null(StageAdvance.Decide(At("st_lost"), 99, automations, [pipeline]));
    }
}
