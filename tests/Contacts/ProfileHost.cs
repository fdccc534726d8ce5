using Flexoraa.Tests.Replies;

namespace Flexoraa.Tests.Contacts;

/// <summary>A <see cref="ReplyHost"/> (fake Graph API, deployment's Meta app) whose profile look-ups back off in milliseconds.</summary>
public class ProfileHost : ReplyHost
{
    public ProfileHost() : this([])
    {
    }

    protected ProfileHost(string[] extraArgs) : base(
    [
        "--Flexoraa:ContactProfiles:RetryBaseDelay=00:00:00.200",
        "--Flexoraa:ContactProfiles:RetryMaxDelay=00:00:01",
        .. extraArgs,
    ])
    {
    }
}
