using System.Text;
using System.Text.Json.Nodes;
using Flexoraa.Channels.Meta;
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
