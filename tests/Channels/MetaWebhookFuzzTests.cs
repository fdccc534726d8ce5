using System.Text;
using System.Text.Json.Nodes;
using Flexoraa.Channels.Meta;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Flexoraa.Tests.Channels;

/// <summary>
/// "Any bytes give either a batch or <see cref="MetaWebhookFormatException"/>": a webhook endpoint maps that one
/// exception to 400, so anything else (NullReference, InvalidOperation, KeyNotFound, ArgumentOutOfRange...) would
/// be a 500 and a Meta retry storm. Each property runs every parser; an unexpected exception fails the test with
/// the input that caused it.
/// </summary>
public sealed class MetaWebhookFuzzTests
{
    private static readonly Func<byte[], MetaWebhookBatch>[] Parsers =
    [
        body => MetaWebhookParser.Parse(body),
        body => WhatsAppWebhookParser.Parse(body),
        body => MessengerWebhookParser.Parse(body),
    ];

    [Property(Arbitrary = [typeof(RandomBodies)], MaxTest = 2000)]
    public bool Random_bytes_give_a_batch_or_the_format_exception(WebhookBody body) => ParsesOrRejects(body.Bytes);

    [Property(Arbitrary = [typeof(MutatedFixtures)], MaxTest = 3000)]
    public bool Damaged_reference_payloads_give_a_batch_or_the_format_exception(WebhookBody body) => ParsesOrRejects(body.Bytes);

    [Property(Arbitrary = [typeof(MetaShapedBodies)], MaxTest = 5000)]
    public bool Meta_shaped_payloads_with_random_deviations_give_a_batch_or_the_format_exception(WebhookBody body) => ParsesOrRejects(body.Bytes);

    public static TheoryData<string> FixtureNames() => [.. MetaFixtures.AllBodies().Select(f => f.Name)];

    /// <summary>
    /// Exhaustive single deviations from each reference payload: every value replaced by every wrong kind, and every
    /// property removed. Deterministic, so a regression shows up on every run, not only on an unlucky seed.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_single_deviation_from_a_reference_payload_gives_a_batch_or_the_format_exception(string fixture)
    {
        var body = MetaFixtures.AllBodies().Single(f => f.Name == fixture).Body;
        var failures = new List<string>();
        var variants = 0;

        foreach (var (description, variant) in SingleDeviations(body))
        {
            variants++;
            try
            {
                ParsesOrRejects(Encoding.UTF8.GetBytes(variant));
            }
            catch (Exception e)
            {
                failures.Add($"{description}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(variants > 20, $"only {variants} variants");
        Assert.Empty(failures);
    }

    private static bool ParsesOrRejects(byte[] body)
    {
        foreach (var parse in Parsers)
        {
            try
            {
                parse(body);
            }
            catch (MetaWebhookFormatException e)
            {
                // A 400 must tell the caller something.
                if (string.IsNullOrWhiteSpace(e.Message)) return false;
            }
        }
        return true;
    }

    private static readonly string[] WrongValues =
        ["null", "0", "-1", "1.5", "1e400", "99999999999999999999", "99999999999999", "\"99999999999999\"", "\"\"", "\"x\"", "\"\\ud800\"", "true", "[]", "{}", "[null]", "[{}]"];

    private static IEnumerable<(string Description, string Body)> SingleDeviations(string body)
    {
        var paths = new List<object[]>();
        Collect(JsonNode.Parse(body), [], paths);
        foreach (var path in paths)
        {
            var where = string.Concat(path.Select(p => p is int i ? $"[{i}]" : $".{p}"));
            foreach (var wrong in WrongValues)
            {
                // Written as text so values JsonNode cannot hold (a lone surrogate escape) are tried too.
                const string Marker = "\"__deviation__\"";
                yield return ($"{where} = {wrong}", Replace(body, path, JsonValue.Create("__deviation__")).Replace(Marker, wrong, StringComparison.Ordinal));
            }
            if (path.Length > 0 && path[^1] is string) yield return ($"{where} removed", Replace(body, path, null, remove: true));
        }
    }

    private static void Collect(JsonNode? node, object[] path, List<object[]> paths)
    {
        paths.Add(path);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj) Collect(child, [.. path, key], paths);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Collect(array[i], [.. path, i], paths);
                break;
        }
    }

    private static string Replace(string body, object[] path, JsonNode? replacement, bool remove = false)
    {
        var root = JsonNode.Parse(body);
        if (path.Length == 0) return replacement?.ToJsonString() ?? "null";
        var parent = root!;
        foreach (var step in path[..^1]) parent = step is int i ? parent[i]! : parent[(string)step]!;
        switch (path[^1])
        {
            case int index:
                parent[index] = replacement;
                break;
            case string key when remove:
                parent.AsObject().Remove(key);
                break;
            case string key:
                parent[key] = replacement;
                break;
        }
        return root!.ToJsonString();
    }
}

/// <summary>A generated body; ToString shows it readably when FsCheck reports a counterexample.</summary>
public sealed record WebhookBody(byte[] Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}

public static class RandomBodies
{
    // Mostly JSON punctuation and Meta words, so random input gets past the first byte now and then.
    private static readonly string[] Tokens =
        ["{", "}", "[", "]", "\"", ":", ",", " ", "0", "1", "-", ".", "e", "true", "null", "\\u", "\\", "\"object\"", "\"entry\"", "\"page\"", "\"whatsapp_business_account\""];

    public static Arbitrary<WebhookBody> Bodies() => Gen.OneOf(
            Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(bytes => new WebhookBody(bytes)),
            Gen.Elements(Tokens).ArrayOf().Select(tokens => new WebhookBody(Encoding.UTF8.GetBytes(string.Concat(tokens)))))
        .ToArbitrary();
}

public static class MutatedFixtures
{
    private static readonly byte[][] Fixtures = [.. MetaFixtures.AllBodies().Select(f => Encoding.UTF8.GetBytes(f.Body))];

    public static Arbitrary<WebhookBody> Bodies() =>
        (from fixture in Gen.Elements(Fixtures)
         from at in Gen.Choose(0, fixture.Length)
         from length in Gen.Choose(0, 12)
         from insert in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
         from how in Gen.Choose(0, 3)
         select new WebhookBody(how switch
         {
             0 => fixture[..at], // truncated delivery
             1 => [.. fixture[..at], .. fixture[Math.Min(fixture.Length, at + length)..]], // a slice cut out
             2 => [.. fixture[..at], .. insert, .. fixture[at..]], // bytes spliced in
             _ => [.. fixture[..at], .. insert.Take(1), .. fixture[Math.Min(fixture.Length, at + 1)..]], // one byte changed
         }))
        .ToArbitrary();
}

/// <summary>
/// Bodies that follow the WhatsApp and Messenger schemas loosely: each field is present, absent, null or junk at
/// random, and leaves mix good values with edge cases. Many deviations per body, deep in the structure.
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
