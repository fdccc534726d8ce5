using System.Collections.Frozen;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// Domains of free mail providers: an address there says nothing about the lead's company, so a fit rule can take
/// points for it. A built-in list of the big providers worldwide and in India, where most tenants are.
/// </summary>
public static class FreeMailDomains
{
    public static FrozenSet<string> All { get; } = new[]
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.in", "yahoo.co.uk", "ymail.com", "rocketmail.com",
        "hotmail.com", "hotmail.co.uk", "outlook.com", "outlook.in", "live.com", "live.in", "msn.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "zoho.com", "zohomail.in",
        "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.com", "yandex.ru",
        "rediffmail.com", "tutanota.com", "fastmail.com", "hey.com", "qq.com", "163.com", "126.com",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool Contains(string? email) => DomainOf(email) is { } domain && All.Contains(domain);

    public static string? DomainOf(string? email) =>
        email is null || email.LastIndexOf('@') is var at && at < 0 ? null : email[(at + 1)..].ToLowerInvariant();
}
