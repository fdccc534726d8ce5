using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// Bodies that follow the WhatsApp and Messenger schemas loosely: each field is usually right but sometimes absent,
/// null or junk, and leaves sometimes take edge values (lone surrogates, out-of-range times, infinities). Deviations
/// land at any depth, several per body, and about a quarter of the bodies parse.
/// </summary>
public static class MetaShapedBodies
{
    private static readonly Gen<string> Junk = JunkOf(3);
    private static readonly Gen<string> Str = Leaf(["\"abc\"", "\"wamid.1\"", "\"\\u00e4\"", "\"16315551234\""], "\"\"", "\"\\ud800\"");
    private static readonly Gen<string> Seconds = Leaf(["\"1603059201\"", "1603059201"], "\"-5\"", "\"99999999999999999999\"", "\"253402300800\"", "\"1.5\"", "1.5");
    private static readonly Gen<string> Millis = Leaf(["1458692752478", "\"1458692752478\""], "253402300800000", "-1", "1.5", "1e30");
    private static readonly Gen<string> Number = Leaf(["38.98", "\"38.98\"", "-0"], "1e400", "\"NaN\"", "\"Infinity\"");
    private static readonly Gen<string> Bool = Leaf(["true", "false"], "\"true\"", "1");

    private static readonly Gen<string> Error = Obj(
        ("code", Leaf(["131047", "\"131047\""], "1e10", "-1", "2147483648")), ("title", Str), ("message", Str),
        ("error_data", Obj(("details", Str))), ("href", Str));

    private static readonly Gen<string> Media = Obj(
        ("id", Str), ("url", Str), ("mime_type", Str), ("sha256", Str), ("caption", Str), ("filename", Str), ("voice", Bool), ("animated", Bool));

    private static readonly Gen<string> Choice = Obj(("id", Str), ("title", Str), ("description", Str));

    private static readonly Gen<string> WhatsAppMessage = Obj(
        ("id", Str), ("from", Str), ("timestamp", Seconds),
        ("type", Leaf(["\"text\"", "\"image\"", "\"audio\"", "\"video\"", "\"document\"", "\"sticker\"", "\"location\"", "\"contacts\"", "\"interactive\"",
            "\"button\"", "\"reaction\"", "\"order\"", "\"system\"", "\"unsupported\"", "\"unknown\"", "\"hologram\""])),
        ("text", Obj(("body", Str))), ("image", Media), ("audio", Media), ("video", Media), ("document", Media), ("sticker", Media),
        ("location", Obj(("latitude", Number), ("longitude", Number), ("name", Str), ("address", Str))),
        ("contacts", Arr(Junk)),
        ("interactive", Obj(("type", Leaf(["\"button_reply\"", "\"list_reply\"", "\"nfm_reply\""])), ("button_reply", Choice), ("list_reply", Choice))),
        ("button", Obj(("text", Str), ("payload", Str))),
        ("reaction", Obj(("message_id", Str), ("emoji", Str))),
        ("order", Obj(("catalog_id", Str), ("text", Str), ("product_items", Arr(Junk)))),
        ("system", Obj(("body", Str))),
        ("context", Obj(("id", Str), ("from", Str), ("forwarded", Bool), ("referred_product", Obj(("catalog_id", Str), ("product_retailer_id", Str))))),
        ("referral", Obj(("source_type", Str), ("source_id", Str), ("ctwa_clid", Str))),
        ("errors", Arr(Error)));

    private static readonly Gen<string> Status = Obj(
        ("id", Str), ("status", Leaf(["\"sent\"", "\"delivered\"", "\"read\"", "\"failed\"", "\"deleted\""])), ("timestamp", Seconds), ("recipient_id", Str),
        ("type", Leaf(["\"message\"", "\"payment\""])), ("errors", Arr(Error)),
        ("conversation", Obj(("id", Str), ("expiration_timestamp", Seconds), ("origin", Obj(("type", Str))))),
        ("pricing", Obj(("billable", Bool), ("pricing_model", Str), ("category", Str))));

    private static readonly Gen<string> WhatsApp = Obj(
        ("object", Leaf(["\"whatsapp_business_account\""])),
        ("entry", Arr(Obj(
            ("id", Str),
            ("changes", Arr(Obj(
                ("field", Leaf(["\"messages\"", "\"account_update\""])),
                ("value", Obj(
                    ("metadata", Obj(("phone_number_id", Str))),
                    ("contacts", Arr(Obj(("wa_id", Str), ("profile", Obj(("name", Str)))))),
                    ("messages", Arr(WhatsAppMessage)),
                    ("statuses", Arr(Status)),
                    ("errors", Arr(Error)))))))))));

    private static readonly Gen<string> MessengerMessage = Obj(
        ("mid", Str), ("text", Str), ("is_echo", Bool), ("is_deleted", Bool), ("is_unsupported", Bool),
        ("quick_reply", Obj(("payload", Str))),
        ("reply_to", Obj(("mid", Str), ("story", Obj(("id", Str), ("url", Str))))),
        ("attachments", Arr(Obj(
            ("type", Leaf(["\"image\"", "\"video\"", "\"audio\"", "\"file\"", "\"fallback\"", "\"share\"", "\"story_mention\"", "\"ig_reel\"", "\"location\"", "\"template\"", "\"x\""])),
            ("title", Str), ("url", Str),
            ("payload", Obj(("url", Str), ("title", Str), ("reel_video_id", Str), ("coordinates", Obj(("lat", Number), ("long", Number)))))))));

    private static readonly Gen<string> MessagingEvent = Obj(
        ("sender", Obj(("id", Str))), ("recipient", Obj(("id", Str))), ("timestamp", Millis),
        ("message", MessengerMessage),
        ("postback", Obj(("title", Str), ("payload", Str), ("mid", Str))),
        ("reaction", Obj(("mid", Str), ("action", Leaf(["\"react\"", "\"unreact\""])), ("emoji", Str), ("reaction", Str))),
        ("delivery", Obj(("mids", Arr(Str)), ("watermark", Millis))),
        ("read", Obj(("watermark", Millis), ("mid", Str))),
        ("optin", Junk));

    private static readonly Gen<string> Messenger = Obj(
        ("object", Leaf(["\"page\"", "\"instagram\""])),
        ("entry", Arr(Obj(
            ("id", Str), ("time", Millis), ("messaging", Arr(MessagingEvent)), ("standby", Arr(MessagingEvent)), ("changes", Arr(Junk))))));

    public static Arbitrary<WebhookBody> Bodies() =>
        Gen.OneOf(WhatsApp, Messenger).Select(json => new WebhookBody(Encoding.UTF8.GetBytes(json))).ToArbitrary();

    // Deviations are rare per node so that most bodies get deep before the first one: with ten required fields on
    // the way to a message, frequent deviations would stop nearly every body at the envelope.

    /// <summary>Mostly one of the good values, sometimes an edge case of the right kind or junk of any kind.</summary>
    private static Gen<string> Leaf(string[] good, params string[] edges) => edges.Length == 0
        ? Gen.Frequency((100, Gen.Elements(good)), (1, Junk))
        : Gen.Frequency((100, Gen.Elements(good)), (3, Gen.Elements(edges)), (1, Junk));

    /// <summary>Each field present (usually), absent, null or junk.</summary>
    private static Gen<string> Obj(params (string Name, Gen<string> Value)[] fields) =>
        Gen.CollectToArray(fields.Select(field => Gen.Frequency(
                (100, field.Value.Select(v => $"\"{field.Name}\":{v}")),
                (2, Gen.Constant("")),
                (1, Gen.Constant($"\"{field.Name}\":null")),
                (1, Junk.Select(v => $"\"{field.Name}\":{v}")))))
            .Select(members => "{" + string.Join(",", members.Where(m => m.Length > 0)) + "}");

    private static Gen<string> Arr(Gen<string> item) =>
        Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 3))).SelectMany(count => item.ArrayOf(count)).Select(items => "[" + string.Join(",", items) + "]");

    private static Gen<string> JunkOf(int depth)
    {
        var scalar = Gen.Elements("null", "true", "0", "-1", "1e400", "\"\"", "\"x\"", "\"\\ud800\"", "\"1603059201\"");
        if (depth == 0) return scalar;
        var inner = JunkOf(depth - 1);
        return Gen.OneOf(
            scalar,
            scalar,
            Gen.Choose(0, 2).SelectMany(n => inner.ArrayOf(n)).Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Choose(0, 2).SelectMany(n => Gen.Zip(Gen.Elements("id", "text", "type", "mid", "x"), inner).ArrayOf(n))
                .Select(pairs => "{" + string.Join(",", pairs.DistinctBy(p => p.Item1).Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}"));
    }
}
