using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Contacts;

/// <summary>A profile older than the refresh period is looked up again with the contact's next message: pictures expire.</summary>
public sealed class StaleContactProfileTests(StaleProfileHost host) : IClassFixture<StaleProfileHost>
{
    [Fact]
    public async Task A_stale_profile_is_looked_up_again_with_the_next_message_and_a_fresh_one_is_not()
    {
        var tenant = await ProfileTenant.CreateAsync(host.Frontend, host.Graph);
        var psid = ProfileTenant.NewUserId();
        host.Graph.AddProfile(psid, new() { ["first_name"] = "Peter", ["last_name"] = "Chang", ["profile_pic"] = "https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1&hash=old" });
        var conversation = tenant.MessengerConversation(psid);

        await tenant.CustomerWritesOnMessengerAsync(psid);
        await tenant.ContactWhenAsync(conversation, c => c.GetProperty("name").GetString() == "Peter Chang", "the first profile");
        host.Graph.AddProfile(psid, new() { ["first_name"] = "Pete", ["last_name"] = "Chang", ["profile_pic"] = "https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1&hash=new" });
        await tenant.CustomerWritesOnMessengerAsync(psid, "Still fresh?");
        await Task.Delay(300);
        Assert.Equal(1, host.Graph.ProfileRequests(psid));

        await Task.Delay(StaleProfileHost.RefreshPeriod);
        await tenant.CustomerWritesOnMessengerAsync(psid, "Now stale");
        var contact = await tenant.ContactWhenAsync(conversation, c => c.GetProperty("name").GetString() == "Pete Chang", "the renewed profile");
        Assert.EndsWith("hash=new", contact.GetProperty("avatarUrl").GetString());
        Assert.Equal(2, host.Graph.ProfileRequests(psid));
    }
}
