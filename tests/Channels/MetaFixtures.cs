using System.Globalization;
using System.Text;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// The Meta reference payloads (tests/Channels/Fixtures, copied byte for byte from shared/reference/meta-platform.md)
/// and envelopes for the reference's fragments. Fragments (one message object, one messaging event) are kept
/// verbatim in their own files and wrapped here, so the bytes under test are still Meta's.
/// </summary>
internal static class MetaFixtures
{
    public static string Text(string name) => File.ReadAllText(FilePath(name), Encoding.UTF8);

    public static byte[] Bytes(string name) => File.ReadAllBytes(FilePath(name));

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static DateTimeOffset At(string isoUtc) => DateTimeOffset.Parse(isoUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>WhatsApp message objects inside the envelope of the reference's Example A (phone_number_id 27681414235104944).</summary>
    public static string WhatsAppMessages(params string[] messages) => WhatsAppValue($$"""
        "messages":[{{string.Join(",", messages)}}]
        """);

    /// <summary>A WhatsApp "messages" change whose value holds <paramref name="members"/> beside the metadata.</summary>
    public static string WhatsAppValue(string members) => $$"""
        {"object":"whatsapp_business_account","entry":[{"id":"8856996819413533","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16505553333","phone_number_id":"27681414235104944"},{{members}}},"field":"messages"}]}]}
        """;

    /// <summary>Messaging events in one entry of the given object ("page" or "instagram"), as in the reference's envelope.</summary>
    public static string MessagingEvents(string objectName, string accountId, params string[] events) =>
        Entries(objectName, $$"""{"id":"{{accountId}}","time":1458692752478,"messaging":[{{string.Join(",", events)}}]}""");

    public static string Entries(string objectName, params string[] entries) =>
        $$"""{"object":"{{objectName}}","entry":[{{string.Join(",", entries)}}]}""";

    /// <summary>Every reference payload as a complete body, for the fuzz tests to mutate.</summary>
    public static IEnumerable<(string Name, string Body)> AllBodies()
    {
        foreach (var name in new[]
                 {
                     "whatsapp-signature-test-vector.json", "whatsapp-text.json", "whatsapp-status-delivered.json",
                     "whatsapp-status-failed.json", "whatsapp-value-errors.json", "messenger-text.json", "instagram-text.json",
                 })
        {
            yield return (name, Text(name));
        }
        yield return ("whatsapp-image.json (real timestamp)", WhatsAppImageWithTimestamp());
        foreach (var name in new[]
                 {
                     "whatsapp-message-image-oas.json", "whatsapp-message-list-reply.json", "whatsapp-message-button.json",
                     "whatsapp-message-reaction.json", "whatsapp-message-unsupported.json",
                 })
        {
            yield return (name, WhatsAppMessages(Text(name)));
        }
        yield return ("whatsapp-statuses-minimal.fragment.txt", WhatsAppValue(Text("whatsapp-statuses-minimal.fragment.txt")));
        yield return ("messenger-attachments-entry.json", Entries("page", Text("messenger-attachments-entry.json")));
        foreach (var name in new[] { "messenger-text-event.json", "messenger-echo-event.json", "messenger-delivery-event.json", "messenger-read-event.json" })
        {
            yield return (name, MessagingEvents("page", "<PAGE_ID>", Text(name)));
        }
    }

    /// <summary>Example B with its "&lt;TIMESTAMP&gt;" placeholder replaced by Example A's time; the rest is verbatim.</summary>
    public static string WhatsAppImageWithTimestamp() => Text("whatsapp-image.json").Replace("\"<TIMESTAMP>\"", "\"1603059201\"", StringComparison.Ordinal);

    public static MetaWebhookBatch ParseWhatsApp(string body) => WhatsAppWebhookParser.Parse(Utf8(body));

    public static MetaWebhookBatch ParseMessenger(string body) => MessengerWebhookParser.Parse(Utf8(body));

    public static T Single<T>(MetaWebhookBatch batch) where T : ChannelEvent => Assert.IsType<T>(Assert.Single(batch.Events));

    private static string FilePath(string name) => Path.Combine(AppContext.BaseDirectory, "Channels", "Fixtures", name);
}
