namespace Flexoraa.Tests.Contacts;

/// <summary>A <see cref="ProfileHost"/> whose profiles go stale after <see cref="RefreshPeriod"/>, so a test can see one renewed.</summary>
public sealed class StaleProfileHost() : ProfileHost([$"--Flexoraa:ContactProfiles:RefreshPeriod={RefreshPeriodText}"])
{
    private const string RefreshPeriodText = "00:00:03";

    public static readonly TimeSpan RefreshPeriod = TimeSpan.Parse(RefreshPeriodText, System.Globalization.CultureInfo.InvariantCulture);
}
