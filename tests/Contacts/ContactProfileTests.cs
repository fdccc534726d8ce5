using System.Diagnostics;
using System.Text.Json;
using Flexoraa.Tests.Infrastructure;
using Flexoraa.Tests.Realtime;

namespace Flexoraa.Tests.Contacts;

/// <summary>
/// Messenger and Instagram webhooks name the sender by id only; the conversation gets the name, username and picture
/// from the Graph API's profile (shared/reference/meta-platform.md C.5), once per refresh period, off the message's path.
/// The fake Graph API answers as Meta does, refusals included, and counts the profile requests to prove the caching.
/// </summary>
public sealed class ContactProfileTests(ProfileHost host) : IClassFixture<ProfileHost>
{
    private const string Picture = "https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1&width=1024&ext=1733788800&hash=AbZ3";

    private readonly TestFrontend _frontend = host.Frontend;
    private readonly FakeGraphApi _graph = host.Graph;

    [Fact]
    public async Task A_Messenger_sender_gets_their_name_and_picture_after_their_first_message_on_REST_and_on_the_hub()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        await using var client = await InboxClient.ConnectAsync(_frontend, tenant.Owner.AccessToken);
        var psid = ProfileTenant.NewUserId();
        _graph.AddProfile(psid, new() { ["first_name"] = "Peter", ["last_name"] = "Chang", ["name"] = "Peter Chang", ["profile_pic"] = Picture });
        var conversation = tenant.MessengerConversation(psid);

        await tenant.CustomerWritesOnMessengerAsync(psid);

        // The message's own update comes first, while the name is unknown: a stand-in, and why.
        var (_, first) = await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("conversationId").GetString() == conversation);
        var pending = first.GetProperty("contact");
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("name").ValueKind);
        Assert.Equal("pending", pending.GetProperty("profileStatus").GetString());
        Assert.Equal("Messenger user ·" + psid[^4..], pending.GetProperty("displayName").GetString());

        var (_, found) = await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("conversationId").GetString() == conversation
            && p.GetProperty("contact").GetProperty("profileStatus").GetString() == "found");
        var hubContact = found.GetProperty("contact");
        Assert.Equal("Peter Chang", hubContact.GetProperty("name").GetString());
        Assert.Equal("Peter Chang", hubContact.GetProperty("displayName").GetString());
        Assert.Equal(Picture, hubContact.GetProperty("avatarUrl").GetString());
        Assert.Equal(psid, hubContact.GetProperty("id").GetString());

        var rest = (await tenant.ConversationAsync(conversation)).GetProperty("contact");
        Assert.True(JsonElement.DeepEquals(rest, hubContact), $"REST {rest}, hub {hubContact}");
        Assert.Equal(1, _graph.ProfileRequests(psid));

        // A fresh profile is not looked up again for the next message.
        await tenant.CustomerWritesOnMessengerAsync(psid, "And the red one?");
        await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("conversationId").GetString() == conversation
            && p.GetProperty("lastMessagePreview").GetString() == "And the red one?");
        await Task.Delay(500);
        Assert.Equal(1, _graph.ProfileRequests(psid));
        Assert.Equal("Peter Chang", (await tenant.ConversationAsync(conversation)).GetProperty("contact").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_Instagram_sender_whose_name_is_null_shows_as_their_at_username()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        var igsid = ProfileTenant.NewUserId();
        _graph.AddProfile(igsid, new() { ["name"] = null, ["username"] = "kerry.fisher", ["profile_pic"] = null });

        await tenant.CustomerWritesOnInstagramAsync(igsid);

        var contact = await tenant.ContactWhenAsync(tenant.InstagramConversation(igsid), c => c.GetProperty("profileStatus").GetString() == "found", "the Instagram profile");
        Assert.Equal("@kerry.fisher", contact.GetProperty("name").GetString());
        Assert.Equal("@kerry.fisher", contact.GetProperty("displayName").GetString());
        Assert.Equal("kerry.fisher", contact.GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("avatarUrl").ValueKind);
        Assert.Equal(1, _graph.ProfileRequests(igsid));
    }

    [Fact]
    public async Task No_profile_available_2018218_gives_the_fallback_and_is_not_fetched_again_on_the_next_message()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        var psid = ProfileTenant.NewUserId();
        _graph.RefuseProfile(psid, 2018218);
        var conversation = tenant.MessengerConversation(psid);

        await tenant.CustomerWritesOnMessengerAsync(psid);
        var contact = await tenant.ContactWhenAsync(conversation, c => c.GetProperty("profileStatus").GetString() == "unavailable", "Meta's 2018218 remembered");
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("name").ValueKind);
        Assert.Equal("Messenger user ·" + psid[^4..], contact.GetProperty("displayName").GetString());

        await tenant.CustomerWritesOnMessengerAsync(psid, "Hello?");
        await Task.Delay(500);
        Assert.Equal(1, _graph.ProfileRequests(psid));
    }

    [Fact]
    public async Task Consent_required_230_on_Instagram_gives_the_fallback_and_is_not_fetched_again_on_the_next_message()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        var igsid = ProfileTenant.NewUserId();
        _graph.RefuseProfile(igsid, 230);
        var conversation = tenant.InstagramConversation(igsid);

        await tenant.CustomerWritesOnInstagramAsync(igsid);
        var contact = await tenant.ContactWhenAsync(conversation, c => c.GetProperty("profileStatus").GetString() == "consentRequired", "Instagram's 230 remembered");
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("name").ValueKind);
        Assert.Equal("Instagram user ·" + igsid[^4..], contact.GetProperty("displayName").GetString());

        await tenant.CustomerWritesOnInstagramAsync(igsid, "Hello?");
        await Task.Delay(500);
        Assert.Equal(1, _graph.ProfileRequests(igsid));
    }

    [Fact]
    public async Task A_Graph_outage_neither_delays_nor_loses_the_message_and_the_profile_arrives_once_Meta_answers_again()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        var psid = ProfileTenant.NewUserId();
        _graph.AddProfile(psid, new() { ["first_name"] = "Mina", ["last_name"] = "Rao", ["profile_pic"] = Picture });
        var conversation = tenant.MessengerConversation(psid);
        _graph.ProfileOutage = true;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await tenant.CustomerWritesOnMessengerAsync(psid);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the message took {stopwatch.Elapsed} to store during the outage");
            var during = (await tenant.ConversationAsync(conversation)).GetProperty("contact");
            Assert.Equal("pending", during.GetProperty("profileStatus").GetString());
            Assert.Equal("Messenger user ·" + psid[^4..], during.GetProperty("displayName").GetString());
            await Eventually.Get(() => Task.FromResult(_graph.ProfileRequests(psid)), n => n >= 2, TimeSpan.FromSeconds(15), "the look-up retried during the outage");
        }
        finally
        {
            _graph.ProfileOutage = false;
        }

        // No further message: the backoff's own retry finds Meta answering again.
        var contact = await tenant.ContactWhenAsync(conversation, c => c.GetProperty("profileStatus").GetString() == "found", "the profile after the outage");
        Assert.Equal("Mina Rao", contact.GetProperty("name").GetString());
        var messages = JsonDocument.Parse(await tenant.Owner.Http.GetStringAsync($"/api/v1/conversations/{conversation}")).RootElement.GetProperty("messages").GetProperty("items");
        Assert.Equal(1, messages.GetArrayLength());
    }

    [Fact]
    public async Task A_changed_WhatsApp_profile_name_renames_the_conversation_on_REST_and_on_the_hub()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        await using var client = await InboxClient.ConnectAsync(_frontend, tenant.Owner.AccessToken);
        const string waId = "919000000381";
        var conversation = tenant.WhatsAppConversation(waId);

        await tenant.CustomerWritesOnWhatsAppAsync(waId, "Kerry Fisher");
        var contact = await tenant.ContactWhenAsync(conversation, c => c.GetProperty("name").GetString() == "Kerry Fisher", "the first name");
        Assert.Equal("notApplicable", contact.GetProperty("profileStatus").GetString());

        await tenant.CustomerWritesOnWhatsAppAsync(waId, "Kerry F.", "It's me again");
        var (_, updated) = await client.NextAsync((name, p) => name == "ConversationUpdated" && p.GetProperty("conversationId").GetString() == conversation
            && p.GetProperty("lastMessagePreview").GetString() == "It's me again");
        Assert.Equal("Kerry F.", updated.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("Kerry F.", (await tenant.ConversationAsync(conversation)).GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal(0, _graph.ProfileRequests(waId));
    }

    [Fact]
    public async Task A_WhatsApp_contact_without_a_name_is_displayed_as_their_number_with_a_plus()
    {
        var tenant = await ProfileTenant.CreateAsync(_frontend, _graph);
        const string waId = "919000000382";
        await tenant.CustomerWritesOnWhatsAppAsync(waId, "");

        var contact = (await tenant.ConversationAsync(tenant.WhatsAppConversation(waId))).GetProperty("contact");
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("name").ValueKind);
        Assert.Equal("+919000000382", contact.GetProperty("displayName").GetString());
    }
}
