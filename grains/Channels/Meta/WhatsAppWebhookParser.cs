using System.Collections.Immutable;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Turns a WhatsApp Cloud API webhook body (<c>object: whatsapp_business_account</c>) into channel events:
/// every <c>messages[]</c> item becomes a <see cref="ChannelMessage"/>, every <c>statuses[]</c> item a
/// <see cref="ChannelStatusUpdate"/>, and <c>value.errors[]</c> become <see cref="MetaAccountError"/>s.
/// Fields other than <c>messages</c> are skipped, not rejected, because Meta adds webhook fields over time and an
/// app subscribed to one must not start failing deliveries. Verify the signature before calling this.
/// </summary>
public static class WhatsAppWebhookParser
{
    public const string ObjectName = "whatsapp_business_account";

    /// <exception cref="MetaWebhookFormatException">The body is not a WhatsApp webhook of the documented shape.</exception>
    public static MetaWebhookBatch Parse(ReadOnlyMemory<byte> body)
    {
        using var document = PayloadElement.Open(body);
        var root = PayloadElement.Root(document);
        var objectName = root.ObjectName();
        return objectName == ObjectName ? Parse(root) : throw root.Required("object").Problem($"is '{objectName}', expected '{ObjectName}'");
    }

    /// <remarks>
    /// Only a body without an <c>entry</c> array throws; a malformed entry, change, message or status is rejected on
    /// its own (see <see cref="MetaWebhookBatch.Builder.Guard"/>), so its well-formed siblings are still delivered.
    /// </remarks>
    internal static MetaWebhookBatch Parse(PayloadElement root)
    {
        var batch = new MetaWebhookBatch.Builder();
        foreach (var entry in root.RequiredArray("entry"))
        {
            // The entry's id is the WABA, which routes nothing; a rejected entry names no account.
            batch.Guard(entry, ChannelKind.WhatsApp, null, () =>
            {
                foreach (var change in entry.RequiredArray("changes")) batch.Guard(change, ChannelKind.WhatsApp, null, () => ParseChange(change, batch));
            });
        }
        return batch.Build();
    }

    private static void ParseChange(PayloadElement change, MetaWebhookBatch.Builder batch)
    {
        var field = change.RequiredString("field");
        if (field != "messages")
        {
            batch.Skip(change, $"WhatsApp webhook field '{field}' is not handled");
            return;
        }

        var value = change.RequiredObject("value");
        // The business number, not the WABA id (entry.id): tenants bind phone numbers, and one WABA can hold several.
        var accountId = value.RequiredObject("metadata").RequiredString("phone_number_id");
        if (!value.Has("messages") && !value.Has("statuses") && !value.Has("errors"))
        {
            batch.Skip(change, "value has no messages, statuses or errors (e.g. a group event)");
            return;
        }

        // Everything the change itself must get right is read before any item is added, so a change rejected as a
        // whole never leaves some of its items behind.
        var messages = value.OptionalArray("messages");
        var statuses = value.OptionalArray("statuses");
        var errors = value.OptionalArray("errors");
        var contacts = WhatsAppWebhookContacts.Of(value);
        foreach (var message in messages)
        {
            batch.Guard(message, ChannelKind.WhatsApp, accountId, () => batch.Add(ParseMessageEvent(message, accountId, contacts), message));
        }
        foreach (var status in statuses)
        {
            batch.Guard(status, ChannelKind.WhatsApp, accountId, () =>
            {
                // Payment statuses (type "payment") describe an order's payment, not a message; they carry no recipient.
                if (status.OptionalString("type") is { } type && type != "message") batch.Skip(status, $"status of type '{type}' is not handled");
                else batch.Add(ParseStatus(status, accountId), status);
            });
        }
        foreach (var error in errors)
        {
            batch.Guard(error, ChannelKind.WhatsApp, accountId, () => batch.Add(new MetaAccountError(ChannelKind.WhatsApp, accountId, ParseError(error), error.Path)));
        }
    }

    /// <summary>
    /// Who sent a message: its wa_id (<c>from</c>) when Meta gives one, else its BSUID (<c>from_user_id</c>), which Meta
    /// sends alone when the customer hides their number behind a username. With neither the message belongs to nobody.
    /// </summary>
    private static (string ContactId, string? UserId) Sender(PayloadElement message)
    {
        var from = message.OptionalString("from");
        var fromUserId = message.OptionalString("from_user_id");
        return (from ?? fromUserId ?? throw message.Problem("from (wa_id) and from_user_id (BSUID) are both missing"), fromUserId);
    }

    /// <summary>
    /// A message, or a change to an earlier one: Coexistence numbers send an edit or a deletion (revoke) as a message
    /// of its own whose <c>id</c> is the event's and whose <c>original_message_id</c> names the message it changes.
    /// </summary>
    private static ChannelEvent ParseMessageEvent(PayloadElement message, string accountId, WhatsAppWebhookContacts contacts) =>
        message.OptionalString("type") switch
        {
            "edit" => ParseEdit(message, accountId),
            "revoke" => new ChannelMessageDeletion(
                ChannelKind.WhatsApp, accountId, Sender(message).ContactId, message.RequiredUnixSeconds("timestamp"),
                EventId: message.RequiredString("id"),
                TargetMessageId: message.RequiredObject("revoke").RequiredString("original_message_id"),
                RawJson: message.RawJson),
            _ => ParseMessage(message, accountId, contacts),
        };

    /// <summary>The new text is the edited message's text body, or its caption for captioned media (the only kinds that can be edited).</summary>
    private static ChannelMessageEdit ParseEdit(PayloadElement message, string accountId)
    {
        var edit = message.RequiredObject("edit");
        var edited = edit.RequiredObject("message");
        var type = edited.OptionalString("type") ?? "text";
        var text = type == "text"
            ? edited.RequiredObject("text").RequiredString("body")
            : edited.OptionalObject(type)?.OptionalString("caption");
        return new ChannelMessageEdit(
            ChannelKind.WhatsApp, accountId, Sender(message).ContactId, message.RequiredUnixSeconds("timestamp"),
            EventId: message.RequiredString("id"),
            TargetMessageId: edit.RequiredString("original_message_id"),
            Text: text,
            RawJson: message.RawJson);
    }

    private static ChannelMessage ParseMessage(PayloadElement message, string accountId, WhatsAppWebhookContacts contacts)
    {
        var id = message.RequiredString("id");
        var (from, fromUserId) = Sender(message);
        var sender = contacts.Find(message.OptionalString("from"), fromUserId);
        var occurredAt = message.RequiredUnixSeconds("timestamp");
        var type = message.OptionalString("type") ?? InferType(message);

        var kind = MessageKind.Unsupported;
        string? text = null;
        var attachments = ImmutableArray<MediaReference>.Empty;
        ChannelLocation? location = null;
        ChannelReaction? reaction = null;
        InteractiveReply? interactive = null;
        string? contactsJson = null;
        ChannelOrder? order = null;
        ContactIdentityChange? identityChange = null;
        var content = new MessageContent();

        switch (type)
        {
            case "text":
                kind = MessageKind.Text;
                text = message.RequiredObject("text").RequiredString("body");
                break;
            case "image" or "video" or "audio" or "document" or "sticker":
                kind = MediaKind(type);
                var media = ParseMedia(message.RequiredObject(type), kind);
                attachments = [media];
                text = media.Caption;
                break;
            case "location":
                kind = MessageKind.Location;
                var pin = message.RequiredObject("location");
                location = new ChannelLocation(
                    pin.RequiredDouble("latitude"), pin.RequiredDouble("longitude"),
                    pin.OptionalString("name"), pin.OptionalString("address"), pin.OptionalString("url"));
                content = content with { Location = new LocationContent(location.Latitude, location.Longitude, location.Name, location.Address, location.Url) };
                break;
            case "contacts":
                kind = MessageKind.Contacts;
                var cards = message.Required("contacts");
                if (cards.Kind != System.Text.Json.JsonValueKind.Array) throw cards.Problem("is not an array of contact cards");
                contactsJson = cards.CompactJson();
                content = content with { Contacts = new ContactsContent([.. message.RequiredArray("contacts").Select(ParseContactCard)]) };
                break;
            case "interactive":
                var tapped = message.RequiredObject("interactive");
                (kind, interactive) = ParseInteractive(tapped);
                if (interactive is not null)
                {
                    text = interactive.Title;
                    content = content with { Choice = interactive };
                }
                else if (tapped.OptionalString("type") == "nfm_reply")
                {
                    kind = MessageKind.FlowReply;
                    var flow = ParseFlowReply(tapped.RequiredObject("nfm_reply"));
                    text = flow.Body;
                    content = content with { FlowReply = flow };
                }
                else
                {
                    content = content with { Unsupported = Unsupported(message, $"interactive.{tapped.OptionalString("type") ?? "unknown"}") };
                }
                break;
            case "button":
                // A template's quick-reply button: what the customer saw is "text", what the business defined is "payload".
                kind = MessageKind.Button;
                var button = message.RequiredObject("button");
                interactive = new InteractiveReply(null, button.OptionalString("text"), null, button.OptionalString("payload"));
                text = interactive.Title;
                content = content with { Choice = interactive };
                break;
            case "reaction":
                kind = MessageKind.Reaction;
                var react = message.RequiredObject("reaction");
                // Removing a reaction arrives with the emoji empty or absent; both become "".
                reaction = new ChannelReaction(react.OptionalString("emoji") ?? "", react.RequiredString("message_id"));
                content = content with { Reaction = new ReactionContent(reaction.Emoji, reaction.TargetMessageId) };
                break;
            case "order":
                kind = MessageKind.Order;
                var cart = message.RequiredObject("order");
                order = new ChannelOrder(cart.OptionalString("catalog_id"), cart.OptionalString("text"), cart.CompactJson());
                text = order.Text;
                content = content with { Order = new OrderContent(order.CatalogId, order.Text, [.. cart.OptionalArray("product_items").Select(ParseOrderItem)]) };
                break;
            case "system":
                kind = MessageKind.System;
                var system = message.RequiredObject("system");
                text = system.OptionalString("body");
                identityChange = ParseIdentityChange(system);
                break;
            default:
                // "unsupported", "unknown" and types newer than this code: shown as unsupported, saying what they were; raw JSON kept.
                content = content with { Unsupported = Unsupported(message, message.OptionalObject("unsupported")?.OptionalString("type") ?? type) };
                // An edit delivered this way names no original to change; the inbox says what happened instead.
                if (content.Unsupported.Type == "edit") text = UnsupportedContent.EditNotice;
                break;
        }

        var referral = message.OptionalObject("referral");
        if (referral is { } r) content = content with { Referral = ParseReferralContent(r) };

        return new ChannelMessage(
            ChannelKind.WhatsApp, accountId, from, occurredAt,
            ExternalMessageId: id,
            Direction: MessageDirection.Inbound,
            Kind: kind,
            ContactName: sender?.Name,
            Text: text,
            Attachments: attachments,
            Location: location,
            Reaction: reaction,
            Reply: ParseContext(message.OptionalObject("context")),
            Interactive: interactive,
            ContactsJson: contactsJson,
            Order: order,
            Referral: ParseReferral(referral),
            Errors: [.. message.OptionalArray("errors").Select(ParseError)],
            RawJson: message.RawJson,
            Content: content == Empty ? null : content,
            ContactUserId: fromUserId ?? sender?.UserId,
            ContactUsername: sender?.Username,
            IdentityChange: identityChange);
    }

    /// <summary>
    /// <c>user_changed_number</c> names the new number in <c>system.wa_id</c> (the message's <c>from</c> is the old one);
    /// <c>user_changed_user_id</c> names no number, and the new BSUID only in <c>system.user_id</c> when Meta sends it.
    /// Other system messages change nothing about the customer.
    /// </summary>
    private static ContactIdentityChange? ParseIdentityChange(PayloadElement system) => system.OptionalString("type") switch
    {
        "user_changed_number" => new ContactIdentityChange(ContactIdentityChangeKind.NumberChanged, system.OptionalString("wa_id"), system.OptionalString("user_id")),
        "user_changed_user_id" => new ContactIdentityChange(ContactIdentityChangeKind.UserIdChanged, system.OptionalString("wa_id"), system.OptionalString("user_id")),
        _ => null,
    };

    private static readonly MessageContent Empty = new();

    private static ContactCard ParseContactCard(PayloadElement card)
    {
        var name = card.OptionalObject("name");
        var org = card.OptionalObject("org");
        return new ContactCard(
            FormattedName: name?.OptionalString("formatted_name"),
            FirstName: name?.OptionalString("first_name"),
            LastName: name?.OptionalString("last_name"),
            Company: org?.OptionalString("company"),
            Department: org?.OptionalString("department"),
            JobTitle: org?.OptionalString("title"),
            Phones: [.. card.OptionalArray("phones").Select(p => new ContactPhone(p.OptionalString("phone"), p.OptionalString("wa_id"), p.OptionalString("type")))],
            Emails: [.. card.OptionalArray("emails").Select(e => new ContactEmail(e.OptionalString("email"), e.OptionalString("type")))]);
    }

    private static OrderItem ParseOrderItem(PayloadElement item)
    {
        var currency = item.OptionalString("currency");
        var price = item.Has("item_price") ? item.RequiredDecimal("item_price") : (decimal?)null;
        return new OrderItem(item.RequiredString("product_retailer_id"), item.RequiredInt32("quantity"),
            price is { } p ? CurrencyUnits.ToMinor(p, currency) ?? throw item.Required("item_price").Problem("is out of range for a price") : null, currency);
    }

    /// <summary>Meta sends the form's answers as a JSON string inside the JSON; it is parsed a second time here.</summary>
    private static FlowReplyContent ParseFlowReply(PayloadElement reply)
    {
        var responseJson = reply.Optional("response_json");
        string? flowToken = null;
        var fields = ImmutableArray.CreateBuilder<FlowReplyField>();
        if (responseJson is { } json)
        {
            using var answers = PayloadElement.OpenNested(json);
            var root = new PayloadElement(answers.RootElement, json.Path);
            if (root.Kind != System.Text.Json.JsonValueKind.Object) throw json.Problem("is not a JSON object");
            foreach (var name in root.PropertyNames)
            {
                var answer = root.Required(name);
                var value = answer.Kind == System.Text.Json.JsonValueKind.String ? answer.AsString() : answer.CompactJson();
                if (name == "flow_token") flowToken = value;
                else fields.Add(new FlowReplyField(name, value));
            }
        }
        return new FlowReplyContent(reply.OptionalString("name"), reply.OptionalString("body"), flowToken, fields.ToImmutable());
    }

    private static UnsupportedContent Unsupported(PayloadElement message, string type)
    {
        var error = message.OptionalArray("errors").Select(ParseError).FirstOrDefault();
        return new UnsupportedContent(type, error?.Code, error?.Title ?? error?.Message, error?.Details);
    }

    private static ReferralContent ParseReferralContent(PayloadElement r) => new(
        r.OptionalString("source_type"), r.OptionalString("source_id"), r.OptionalString("source_url"),
        r.OptionalString("headline"), r.OptionalString("body"), r.OptionalString("media_type"),
        r.OptionalString("image_url"), r.OptionalString("video_url"), r.OptionalString("thumbnail_url"),
        r.OptionalString("ctwa_clid"), r.OptionalObject("welcome_message")?.OptionalString("text"));

    // Meta's own location example has no "type"; the content object says what the message is.
    private static readonly string[] ContentTypes =
        ["text", "image", "video", "audio", "document", "sticker", "location", "contacts", "interactive", "button", "reaction", "order", "system"];

    private static string InferType(PayloadElement message) => ContentTypes.FirstOrDefault(message.Has) ?? "unknown";

    private static MessageKind MediaKind(string type) => type switch
    {
        "image" => MessageKind.Image,
        "video" => MessageKind.Video,
        "audio" => MessageKind.Audio,
        "document" => MessageKind.Document,
        _ => MessageKind.Sticker,
    };

    private static MediaReference ParseMedia(PayloadElement media, MessageKind kind) => new(
        kind,
        MediaId: media.OptionalString("id"),
        Url: media.OptionalString("url"),
        MimeType: media.OptionalString("mime_type"),
        Sha256: media.OptionalString("sha256"),
        Caption: media.OptionalString("caption"),
        FileName: media.OptionalString("filename"),
        Title: null,
        IsVoiceNote: media.OptionalBool("voice") ?? false,
        IsAnimated: media.OptionalBool("animated") ?? false);

    private static (MessageKind Kind, InteractiveReply? Reply) ParseInteractive(PayloadElement interactive)
    {
        switch (interactive.OptionalString("type"))
        {
            case "button_reply":
                var button = interactive.RequiredObject("button_reply");
                return (MessageKind.ButtonReply, new InteractiveReply(button.OptionalString("id"), button.OptionalString("title"), null, null));
            case "list_reply":
                var row = interactive.RequiredObject("list_reply");
                return (MessageKind.ListReply, new InteractiveReply(row.OptionalString("id"), row.OptionalString("title"), row.OptionalString("description"), null));
            default:
                // Flow replies (nfm_reply, handled by the caller) and interactive types newer than this code.
                return (MessageKind.Unsupported, null);
        }
    }

    private static ReplyContext? ParseContext(PayloadElement? context)
    {
        if (context is not { } c) return null;
        var product = c.OptionalObject("referred_product") is { } p
            ? new ReferredProduct(p.OptionalString("catalog_id"), p.OptionalString("product_retailer_id"))
            : null;
        var messageId = c.OptionalString("id");
        // A context with only "forwarded" flags does not answer anything.
        return messageId is null && product is null ? null : new ReplyContext(messageId, c.OptionalString("from"), product, null);
    }

    private static ChannelReferral? ParseReferral(PayloadElement? referral) => referral is { } r
        ? new ChannelReferral(
            r.OptionalString("source_type"), r.OptionalString("source_id"), r.OptionalString("source_url"),
            r.OptionalString("headline"), r.OptionalString("body"), r.OptionalString("ctwa_clid"), r.CompactJson())
        : null;

    private static ChannelStatusUpdate ParseStatus(PayloadElement status, string accountId)
    {
        var rawStatus = status.RequiredString("status");
        var conversation = status.OptionalObject("conversation");
        var pricing = status.OptionalObject("pricing");
        // Meta names the recipient by wa_id, by BSUID (a customer with a username), or both.
        var recipientUserId = status.OptionalString("recipient_user_id");
        var recipient = status.OptionalString("recipient_id") ?? recipientUserId ?? throw status.Problem("recipient_id (wa_id) and recipient_user_id (BSUID) are both missing");
        return new ChannelStatusUpdate(
            ChannelKind.WhatsApp, accountId, recipient, status.RequiredUnixSeconds("timestamp"),
            ExternalMessageId: status.RequiredString("id"),
            Status: ParseDeliveryStatus(rawStatus),
            RawStatus: rawStatus,
            Errors: [.. status.OptionalArray("errors").Select(ParseError)],
            ConversationId: conversation?.OptionalString("id"),
            ConversationCategory: conversation?.OptionalObject("origin")?.OptionalString("type"),
            ConversationExpiresAt: conversation?.OptionalUnixSeconds("expiration_timestamp"),
            Pricing: pricing is { } p ? new ChannelPricing(p.OptionalBool("billable"), p.OptionalString("pricing_model"), p.OptionalString("category")) : null,
            RawJson: status.RawJson,
            ContactUserId: recipientUserId);
    }

    private static DeliveryStatus ParseDeliveryStatus(string status) => status.ToLowerInvariant() switch
    {
        "sent" => DeliveryStatus.Sent,
        "delivered" => DeliveryStatus.Delivered,
        "read" => DeliveryStatus.Read,
        "failed" => DeliveryStatus.Failed,
        _ => DeliveryStatus.Unknown,
    };

    private static ChannelError ParseError(PayloadElement error) => new(
        error.RequiredInt32("code"),
        error.OptionalString("title"),
        error.OptionalString("message"),
        error.OptionalObject("error_data")?.OptionalString("details"),
        error.OptionalString("href"));
}
