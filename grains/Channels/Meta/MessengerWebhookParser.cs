using System.Collections.Immutable;
using System.Globalization;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Turns a Messenger (<c>object: page</c>) or Instagram (<c>object: instagram</c>) webhook body into channel events.
/// Both platforms send <c>entry[].messaging[]</c> events of the same shape; the account is <c>entry.id</c> (the page
/// or Instagram professional account) and the customer is the PSID/IGSID on the other side. Handled: messages
/// (text, attachments, quick replies, replies, Instagram story replies and mentions, echoes), postbacks, reactions,
/// Messenger edits, Instagram unsends, delivery and read receipts. Other events (opt-ins, referrals, handover...) are skipped, not rejected.
/// Verify the signature before calling this.
/// </summary>
public static class MessengerWebhookParser
{
    public const string MessengerObjectName = "page";
    public const string InstagramObjectName = "instagram";

    /// <exception cref="MetaWebhookFormatException">The body is not a Messenger or Instagram webhook of the documented shape.</exception>
    public static MetaWebhookBatch Parse(ReadOnlyMemory<byte> body)
    {
        using var document = PayloadElement.Open(body);
        var root = PayloadElement.Root(document);
        var objectName = root.ObjectName();
        return objectName is MessengerObjectName or InstagramObjectName
            ? Parse(root, objectName)
            : throw root.Required("object").Problem($"is '{objectName}', expected '{MessengerObjectName}' or '{InstagramObjectName}'");
    }

    internal static MetaWebhookBatch Parse(PayloadElement root, string objectName)
    {
        var channel = objectName == InstagramObjectName ? ChannelKind.Instagram : ChannelKind.Messenger;
        var batch = new MetaWebhookBatch.Builder();
        // Only a body without an entry array throws; a malformed entry or messaging event is rejected on its own
        // (MetaWebhookBatch.Builder.Guard), so its well-formed siblings are still delivered.
        foreach (var entry in root.RequiredArray("entry"))
        {
            batch.Guard(entry, channel, AccountIdOf(entry), () =>
            {
                var accountId = entry.RequiredString("id");
                var entryTime = entry.OptionalUnixMilliseconds("time");
                var messaging = entry.OptionalArray("messaging");
                // Under the handover protocol, events for threads another app controls arrive as "standby". They are
                // still messages in the customer's thread, and the inbox shows the whole thread, so treat them alike.
                var standby = entry.OptionalArray("standby");
                var changes = entry.OptionalArray("changes");
                foreach (var change in changes) batch.Skip(change, "page changes (feed, comments...) are not handled");
                if (messaging.IsEmpty && standby.IsEmpty && !entry.Has("changes")) batch.Skip(entry, "entry has no messaging events");

                foreach (var messagingEvent in messaging.Concat(standby))
                {
                    batch.Guard(messagingEvent, channel, accountId, () => ParseEvent(messagingEvent, channel, accountId, entryTime, batch));
                }
            });
        }
        return batch.Build();
    }

    /// <summary>The entry's account id for a dead letter, when the entry is damaged but still names one.</summary>
    private static string? AccountIdOf(PayloadElement entry)
    {
        try
        {
            return entry.OptionalString("id");
        }
        catch (MetaWebhookFormatException)
        {
            return null;
        }
    }

    private static void ParseEvent(PayloadElement messagingEvent, ChannelKind channel, string accountId, DateTimeOffset? entryTime, MetaWebhookBatch.Builder batch)
    {
        var timestamp = messagingEvent.OptionalUnixMilliseconds("timestamp");
        if (messagingEvent.OptionalObject("message") is { } message)
        {
            if (message.OptionalBool("is_deleted") == true)
            {
                // Instagram's unsend (from the mobile app): the mid is the deleted message's own. No id of its own, and
                // a message is deleted once, so the derived id is stable across redeliveries.
                var mid = message.RequiredString("mid");
                batch.Add(new ChannelMessageDeletion(channel, accountId, Customer(messagingEvent), OccurredAt(messagingEvent, timestamp ?? entryTime),
                    EventId: $"deletion.{mid}", TargetMessageId: mid, RawJson: messagingEvent.RawJson), messagingEvent);
                return;
            }
            batch.Add(ParseMessage(messagingEvent, message, channel, accountId, OccurredAt(messagingEvent, timestamp ?? entryTime)), messagingEvent);
        }
        else if (messagingEvent.OptionalObject("postback") is { } postback)
        {
            batch.Add(ParsePostback(messagingEvent, postback, channel, accountId, OccurredAt(messagingEvent, timestamp ?? entryTime)), messagingEvent);
        }
        else if (messagingEvent.OptionalObject("message_edit") is { } edit)
        {
            // Messenger only (Instagram sends no edit event). The mid is the original's; num_edit tells the edits apart.
            var mid = edit.RequiredString("mid");
            var number = edit.Has("num_edit") ? edit.RequiredInt32("num_edit").ToString(CultureInfo.InvariantCulture) : Millis(OccurredAt(messagingEvent, timestamp ?? entryTime));
            batch.Add(new ChannelMessageEdit(channel, accountId, Customer(messagingEvent), OccurredAt(messagingEvent, timestamp ?? entryTime),
                EventId: $"edit.{mid}.{number}", TargetMessageId: mid, Text: edit.OptionalString("text"), RawJson: messagingEvent.RawJson), messagingEvent);
        }
        else if (messagingEvent.OptionalObject("reaction") is { } reaction)
        {
            batch.Add(ParseReaction(messagingEvent, reaction, channel, accountId, OccurredAt(messagingEvent, timestamp ?? entryTime)), messagingEvent);
        }
        else if (messagingEvent.OptionalObject("delivery") is { } delivery)
        {
            var watermark = delivery.RequiredUnixMilliseconds("watermark");
            var mids = delivery.OptionalArray("mids").Select(mid => mid.AsString()).ToImmutableArray();
            // Meta's delivery example has no event timestamp; the watermark is the closest time it gives.
            batch.Add(new ChannelReceipt(channel, accountId, Customer(messagingEvent), timestamp ?? watermark, ReceiptKind.Delivered, watermark, mids), messagingEvent);
        }
        else if (messagingEvent.OptionalObject("read") is { } read)
        {
            var watermark = read.OptionalUnixMilliseconds("watermark");
            var mid = read.OptionalString("mid");
            if (watermark is null && mid is null) throw read.Problem("has neither a watermark nor a mid");
            batch.Add(new ChannelReceipt(
                channel, accountId, Customer(messagingEvent), OccurredAt(messagingEvent, timestamp ?? watermark ?? entryTime),
                ReceiptKind.Read, watermark, mid is null ? [] : [mid]), messagingEvent);
        }
        else
        {
            var kinds = string.Join(", ", messagingEvent.PropertyNames.Where(n => n is not ("sender" or "recipient" or "timestamp")));
            batch.Skip(messagingEvent, $"messaging event ({kinds}) is not handled");
        }
    }

    private static ChannelMessage ParseMessage(PayloadElement messagingEvent, PayloadElement message, ChannelKind channel, string accountId, DateTimeOffset occurredAt)
    {
        var mid = message.RequiredString("mid");
        // For an echo the page is the sender; the conversation is keyed by the customer, who is the recipient.
        var isEcho = message.OptionalBool("is_echo") ?? false;
        var contactId = isEcho ? messagingEvent.RequiredObject("recipient").RequiredString("id") : Customer(messagingEvent);
        var text = message.OptionalString("text");
        var attachments = message.OptionalArray("attachments").Select(ParseAttachment).ToImmutableArray();

        var replyTo = message.OptionalObject("reply_to");
        var story = replyTo?.OptionalObject("story") is { } s ? new ReferredStory(s.OptionalString("id"), s.OptionalString("url")) : null;
        var repliedMid = replyTo?.OptionalString("mid");
        var reply = repliedMid is null && story is null ? null : new ReplyContext(repliedMid, null, null, story);

        // A quick reply is text the customer tapped; the payload is what the business attached to that button.
        var interactive = message.OptionalObject("quick_reply") is { } quickReply
            ? new InteractiveReply(null, text, null, quickReply.OptionalString("payload"))
            : null;

        var kind = story is not null ? MessageKind.StoryReply
            : message.OptionalBool("is_unsupported") == true ? MessageKind.Unsupported
            : attachments.Any(a => a.Kind == MessageKind.StoryMention) ? MessageKind.StoryMention
            : !attachments.IsEmpty ? attachments[0].Kind
            : text is not null ? MessageKind.Text
            : MessageKind.Unsupported;

        var content = new MessageContent
        {
            Choice = interactive,
            Location = attachments.Any(a => a.Kind == MessageKind.Location) && LegacyLocation(message) is { } pin
                ? new LocationContent(pin.Latitude, pin.Longitude, pin.Name, pin.Address, pin.Url)
                : null,
            // Meta flags content it cannot pass on (is_unsupported); otherwise name the attachment type we did not know.
            Unsupported = kind == MessageKind.Unsupported
                ? new UnsupportedContent(
                    message.OptionalBool("is_unsupported") == true ? "unsupported" : message.OptionalArray("attachments").Select(a => a.OptionalString("type")).FirstOrDefault(t => t is not null) ?? "unknown",
                    null, null, null)
                : null,
        };

        return new ChannelMessage(
            channel, accountId, contactId, occurredAt,
            ExternalMessageId: mid,
            Direction: isEcho ? MessageDirection.Echo : MessageDirection.Inbound,
            Kind: kind,
            ContactName: null,
            Text: text,
            Attachments: attachments,
            Location: attachments.Select(a => a.Kind).Contains(MessageKind.Location) ? LegacyLocation(message) : null,
            Reaction: null,
            Reply: reply,
            Interactive: interactive,
            ContactsJson: null,
            Order: null,
            Referral: null,
            Errors: [],
            RawJson: messagingEvent.RawJson,
            Content: content == new MessageContent() ? null : content);
    }

    private static MediaReference ParseAttachment(PayloadElement attachment)
    {
        var type = attachment.OptionalString("type");
        var payload = attachment.OptionalObject("payload");
        var kind = type switch
        {
            "image" => MessageKind.Image,
            "video" => MessageKind.Video,
            "audio" => MessageKind.Audio,
            "file" => MessageKind.Document,
            "fallback" => MessageKind.Fallback,
            "share" => MessageKind.Share,
            "story_mention" => MessageKind.StoryMention,
            "reel" or "ig_reel" => MessageKind.Reel,
            "template" => MessageKind.Template,
            "location" => MessageKind.Location,
            _ => MessageKind.Unsupported,
        };
        // Older fallback attachments put url and title beside the payload instead of inside it.
        return new MediaReference(
            kind,
            MediaId: payload?.OptionalString("reel_video_id"),
            Url: payload?.OptionalString("url") ?? attachment.OptionalString("url"),
            MimeType: null,
            Sha256: null,
            Caption: null,
            FileName: null,
            Title: payload?.OptionalString("title") ?? attachment.OptionalString("title"),
            IsVoiceNote: false,
            IsAnimated: false);
    }

    /// <summary>Messenger's pre-2019 location attachment: payload.coordinates {lat, long}.</summary>
    private static ChannelLocation? LegacyLocation(PayloadElement message)
    {
        foreach (var attachment in message.OptionalArray("attachments"))
        {
            if (attachment.OptionalString("type") == "location"
                && attachment.OptionalObject("payload")?.OptionalObject("coordinates") is { } coordinates)
            {
                return new ChannelLocation(coordinates.RequiredDouble("lat"), coordinates.RequiredDouble("long"), attachment.OptionalString("title"), null, attachment.OptionalString("url"));
            }
        }
        return null;
    }

    private static ChannelMessage ParsePostback(PayloadElement messagingEvent, PayloadElement postback, ChannelKind channel, string accountId, DateTimeOffset occurredAt)
    {
        var contactId = Customer(messagingEvent);
        var title = postback.OptionalString("title");
        // Newer postbacks carry a mid; for older ones derive a stable id so a redelivery still dedups.
        var id = postback.OptionalString("mid") ?? $"postback.{contactId}.{Millis(occurredAt)}";
        var choice = new InteractiveReply(null, title, null, postback.OptionalString("payload"));
        return Message(messagingEvent, channel, accountId, contactId, occurredAt, id, MessageKind.Postback, title, interactive: choice, reaction: null)
            with { Content = new MessageContent { Choice = choice } };
    }

    private static ChannelMessage ParseReaction(PayloadElement messagingEvent, PayloadElement reaction, ChannelKind channel, string accountId, DateTimeOffset occurredAt)
    {
        var contactId = Customer(messagingEvent);
        var target = reaction.RequiredString("mid");
        // "unreact" clears the reaction: an empty emoji, as for WhatsApp. Without an emoji, keep Meta's reaction
        // name ("love") rather than an empty string that would read as a removal.
        var emoji = reaction.OptionalString("action") == "unreact" ? "" : reaction.OptionalString("emoji") ?? reaction.OptionalString("reaction") ?? "";
        // Reactions have no mid of their own; the derived id is stable across redeliveries and distinct per change, also
        // for a react and an unreact with one timestamp (both are applied, in webhook order).
        var id = $"reaction.{target}.{contactId}.{Millis(occurredAt)}.{(emoji.Length == 0 ? "unreact" : emoji)}";
        return Message(messagingEvent, channel, accountId, contactId, occurredAt, id, MessageKind.Reaction, text: null,
            interactive: null, reaction: new ChannelReaction(emoji, target)) with { Content = new MessageContent { Reaction = new ReactionContent(emoji, target) } };
    }

    private static ChannelMessage Message(
        PayloadElement messagingEvent, ChannelKind channel, string accountId, string contactId, DateTimeOffset occurredAt,
        string id, MessageKind kind, string? text, InteractiveReply? interactive, ChannelReaction? reaction) => new(
        channel, accountId, contactId, occurredAt,
        ExternalMessageId: id,
        Direction: MessageDirection.Inbound,
        Kind: kind,
        ContactName: null,
        Text: text,
        Attachments: [],
        Location: null,
        Reaction: reaction,
        Reply: null,
        Interactive: interactive,
        ContactsJson: null,
        Order: null,
        Referral: null,
        Errors: [],
        RawJson: messagingEvent.RawJson);

    private static string Customer(PayloadElement messagingEvent) => messagingEvent.RequiredObject("sender").RequiredString("id");

    // Without a time of its own or the entry's, the event is unusable: the 24-hour window is counted from it.
    private static DateTimeOffset OccurredAt(PayloadElement messagingEvent, DateTimeOffset? time) =>
        time ?? messagingEvent.RequiredUnixMilliseconds("timestamp");

    private static string Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
