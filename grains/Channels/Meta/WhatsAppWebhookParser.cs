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

    internal static MetaWebhookBatch Parse(PayloadElement root)
    {
        var batch = new MetaWebhookBatch.Builder();
        foreach (var entry in root.RequiredArray("entry"))
        {
            foreach (var change in entry.RequiredArray("changes")) ParseChange(change, batch);
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

        var names = ContactNames(value);
        foreach (var message in value.OptionalArray("messages")) batch.Add(ParseMessage(message, accountId, names), message);
        foreach (var status in value.OptionalArray("statuses"))
        {
            // Payment statuses (type "payment") describe an order's payment, not a message; they carry no recipient.
            if (status.OptionalString("type") is { } type && type != "message") batch.Skip(status, $"status of type '{type}' is not handled");
            else batch.Add(ParseStatus(status, accountId), status);
        }
        foreach (var error in value.OptionalArray("errors")) batch.Add(new MetaAccountError(ChannelKind.WhatsApp, accountId, ParseError(error), error.Path));
    }

    /// <summary>Profile names by wa_id. Meta sends them beside the messages, not inside, so match on the sender.</summary>
    private static Dictionary<string, string> ContactNames(PayloadElement value)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var contact in value.OptionalArray("contacts"))
        {
            if (contact.OptionalString("wa_id") is { } waId && contact.OptionalObject("profile")?.OptionalString("name") is { } name)
            {
                names.TryAdd(waId, name);
            }
        }
        return names;
    }

    private static ChannelMessage ParseMessage(PayloadElement message, string accountId, Dictionary<string, string> names)
    {
        var id = message.RequiredString("id");
        var from = message.RequiredString("from");
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
                break;
            case "contacts":
                kind = MessageKind.Contacts;
                var cards = message.Required("contacts");
                if (cards.Kind != System.Text.Json.JsonValueKind.Array) throw cards.Problem("is not an array of contact cards");
                contactsJson = cards.CompactJson();
                break;
            case "interactive":
                (kind, interactive) = ParseInteractive(message.RequiredObject("interactive"));
                text = interactive?.Title;
                break;
            case "button":
                // A template's quick-reply button: what the customer saw is "text", what the business defined is "payload".
                kind = MessageKind.Button;
                var button = message.RequiredObject("button");
                interactive = new InteractiveReply(null, button.OptionalString("text"), null, button.OptionalString("payload"));
                text = interactive.Title;
                break;
            case "reaction":
                kind = MessageKind.Reaction;
                var react = message.RequiredObject("reaction");
                // Removing a reaction arrives with the emoji empty or absent; both become "".
                reaction = new ChannelReaction(react.OptionalString("emoji") ?? "", react.RequiredString("message_id"));
                break;
            case "order":
                kind = MessageKind.Order;
                var cart = message.RequiredObject("order");
                order = new ChannelOrder(cart.OptionalString("catalog_id"), cart.OptionalString("text"), cart.CompactJson());
                text = order.Text;
                break;
            case "system":
                kind = MessageKind.System;
                text = message.RequiredObject("system").OptionalString("body");
                break;
            default:
                // "unsupported", "unknown" and types newer than this code: shown as unsupported, raw JSON kept.
                break;
        }

        return new ChannelMessage(
            ChannelKind.WhatsApp, accountId, from, occurredAt,
            ExternalMessageId: id,
            Direction: MessageDirection.Inbound,
            Kind: kind,
            ContactName: names.GetValueOrDefault(from),
            Text: text,
            Attachments: attachments,
            Location: location,
            Reaction: reaction,
            Reply: ParseContext(message.OptionalObject("context")),
            Interactive: interactive,
            ContactsJson: contactsJson,
            Order: order,
            Referral: ParseReferral(message.OptionalObject("referral")),
            Errors: [.. message.OptionalArray("errors").Select(ParseError)],
            RawJson: message.RawJson);
    }

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
                // Flow replies (nfm_reply) and future interactive types: kept raw until someone models them.
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
        return new ChannelStatusUpdate(
            ChannelKind.WhatsApp, accountId, status.RequiredString("recipient_id"), status.RequiredUnixSeconds("timestamp"),
            ExternalMessageId: status.RequiredString("id"),
            Status: ParseDeliveryStatus(rawStatus),
            RawStatus: rawStatus,
            Errors: [.. status.OptionalArray("errors").Select(ParseError)],
            ConversationId: conversation?.OptionalString("id"),
            ConversationCategory: conversation?.OptionalObject("origin")?.OptionalString("type"),
            ConversationExpiresAt: conversation?.OptionalUnixSeconds("expiration_timestamp"),
            Pricing: pricing is { } p ? new ChannelPricing(p.OptionalBool("billable"), p.OptionalString("pricing_model"), p.OptionalString("category")) : null,
            RawJson: status.RawJson);
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
