namespace Flexoraa.Leads.Scoring;

/// <summary>
/// The rules of a tenant that never saved its own (version 1): seniority and a company count for fit, a free mail
/// address counts against it, and every kind of engagement counts, a meeting most; 14 days' half-life; no automations.
/// </summary>
public static class BuiltInScoringRules
{
    public static ScoringRules Rules { get; } = new(
        1,
        [
            new FitRule(FitRuleKinds.TitleContains, 15, Value: "director"),
            new FitRule(FitRuleKinds.TitleContains, 10, Value: "head"),
            new FitRule(FitRuleKinds.CompanyPresent, 10),
            new FitRule(FitRuleKinds.FreeMailDomain, -10),
        ],
        [
            new EngagementRule("inboundMessage", 5),
            new EngagementRule("fastReply", 3),
            new EngagementRule("conversationResolved", 5),
            new EngagementRule("meetingLogged", 20),
            new EngagementRule("callLogged", 10),
            new EngagementRule("noteLogged", 2),
            new EngagementRule("campaignReply", 10),
            new EngagementRule("campaignClick", 3),
            new EngagementRule("aiQualified", 25),
        ],
        HalfLifeDays: 14,
        FitMax: 50,
        EngagementMax: 50,
        new ScoreGrades(80, 60, 40),
        []);
}
