using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// A JSON value of a webhook body together with its path. Every read checks the JSON kind first and reports a
/// problem as <see cref="MetaWebhookFormatException"/> naming the path, because <see cref="JsonElement"/> itself
/// throws InvalidOperationException or FormatException on a kind mismatch, and callers must only ever see the
/// format exception.
/// </summary>
internal readonly struct PayloadElement
{
    // Deeper than any Meta payload; bounds the work a hostile body can cause.
    private const int MaxDepth = 64;

    // DateTimeOffset's range; larger Unix times would make FromUnixTime* throw ArgumentOutOfRangeException.
    private const long MaxUnixSeconds = 253_402_300_799;

    private readonly JsonElement element;
    private readonly string path;

    public PayloadElement(JsonElement element, string path)
    {
        this.element = element;
        this.path = path;
    }

    public string Path => path;

    public JsonValueKind Kind => element.ValueKind;

    /// <summary>
    /// The original text of this value, not a re-serialization: escapes such as <c>\u00e4</c> stay as Meta sent them,
    /// except the two that PostgreSQL jsonb rejects (<c>\u0000</c> and half a surrogate pair), which
    /// <see cref="JsonbText"/> escapes once more so the raw payload can always be stored.
    /// Safe because <see cref="Open"/> has checked that the whole body is valid UTF-8.
    /// </summary>
    public string RawJson => JsonbText.Escape(element.GetRawText());

    /// <summary>The names of this object's properties, for telling people what an unhandled event contained.</summary>
    public IEnumerable<string> PropertyNames => element.ValueKind == JsonValueKind.Object
        ? element.EnumerateObject().Select(p => p.Name)
        : [];

    /// <summary>Parses a body. The document owns pooled memory; dispose it once the batch is built.</summary>
    public static JsonDocument Open(ReadOnlyMemory<byte> body)
    {
        // JsonDocument accepts invalid UTF-8 inside strings and only fails later, with InvalidOperationException,
        // when the string is read; checking up front keeps every later read safe.
        if (!Utf8.IsValid(body.Span)) throw new MetaWebhookFormatException("", "is not valid UTF-8.");
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new MetaWebhookFormatException("", $"is not valid JSON: {e.Message}", e);
        }
    }

    public static PayloadElement Root(JsonDocument document) => new(document.RootElement, "");

    /// <summary>
    /// Parses JSON that Meta sends as a string inside the body (a Flow's <c>response_json</c>); dispose the document.
    /// Problems are reported at this string's path.
    /// </summary>
    public static JsonDocument OpenNested(PayloadElement json)
    {
        var text = json.AsString();
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new MetaWebhookFormatException(json.Path, "is not valid JSON", e);
        }
    }

    /// <summary>The webhook's <c>object</c>, which says which product sent it.</summary>
    public string ObjectName() => Kind == JsonValueKind.Object ? RequiredString("object") : throw WrongKind("an object");

    public MetaWebhookFormatException Problem(string problem) => new(path, problem);

    public bool Has(string name) => Optional(name) is not null;

    public PayloadElement Required(string name)
    {
        if (Optional(name) is { } value) return value;
        var isNull = element.TryGetProperty(name, out _);
        throw new MetaWebhookFormatException(ChildPath(name), isNull ? "is null" : "is missing");
    }

    /// <summary>The property, or null when it is absent or JSON null: Meta omits and nulls optional fields alike.</summary>
    public PayloadElement? Optional(string name)
    {
        ExpectObject();
        return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new PayloadElement(value, ChildPath(name))
            : null;
    }

    public PayloadElement RequiredObject(string name) => Required(name).ExpectObject();

    public PayloadElement? OptionalObject(string name) => Optional(name)?.ExpectObject();

    public ImmutableArray<PayloadElement> RequiredArray(string name) => Required(name).Items();

    /// <summary>The items, or none when the property is absent.</summary>
    public ImmutableArray<PayloadElement> OptionalArray(string name) => Optional(name) is { } array ? array.Items() : [];

    public string RequiredString(string name)
    {
        var text = Required(name).AsString();
        return text.Length > 0 ? text : throw new MetaWebhookFormatException(ChildPath(name), "is empty");
    }

    public string? OptionalString(string name) => Optional(name)?.AsString();

    public bool? OptionalBool(string name) => Optional(name) is { } value
        ? value.Kind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw value.WrongKind("true or false"),
        }
        : null;

    /// <summary>An integer given as a JSON number or, leniently, as a string of digits.</summary>
    public int RequiredInt32(string name)
    {
        var value = Required(name);
        if (value.Kind == JsonValueKind.Number && value.element.TryGetInt32(out var number)) return number;
        if (value.Kind == JsonValueKind.String && int.TryParse(value.AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)) return number;
        throw value.Problem("is not a 32-bit integer");
    }

    /// <summary>A finite number given as a JSON number or, leniently, as a numeric string.</summary>
    public double RequiredDouble(string name)
    {
        var value = Required(name);
        if (value.Kind == JsonValueKind.Number && value.element.TryGetDouble(out var number) && double.IsFinite(number)) return number;
        if (value.Kind == JsonValueKind.String
            && double.TryParse(value.AsString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number)) return number;
        throw value.Problem("is not a finite number");
    }

    /// <summary>A decimal number given as a JSON number or, leniently, as a numeric string (a price).</summary>
    public decimal RequiredDecimal(string name)
    {
        var value = Required(name);
        if (value.Kind == JsonValueKind.Number && value.element.TryGetDecimal(out var number)) return number;
        if (value.Kind == JsonValueKind.String
            && decimal.TryParse(value.AsString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return number;
        throw value.Problem("is not a decimal number");
    }

    /// <summary>WhatsApp's Unix time in seconds, sent as a string ("1603059201"); a JSON number is accepted too.</summary>
    public DateTimeOffset RequiredUnixSeconds(string name) => Required(name).AsUnixTime(1, "Unix time in seconds");

    public DateTimeOffset? OptionalUnixSeconds(string name) => Optional(name)?.AsUnixTime(1, "Unix time in seconds");

    /// <summary>Messenger's Unix time in milliseconds, sent as a number; a string of digits is accepted too.</summary>
    public DateTimeOffset RequiredUnixMilliseconds(string name) => Required(name).AsUnixTime(1000, "Unix time in milliseconds");

    public DateTimeOffset? OptionalUnixMilliseconds(string name) => Optional(name)?.AsUnixTime(1000, "Unix time in milliseconds");

    /// <summary>
    /// The string, normalised by <see cref="ChannelText"/>: every string a parser reads comes through here, so no
    /// U+0000 or lone surrogate ever reaches storage, whichever channel or field it came in.
    /// </summary>
    public string AsString()
    {
        if (Kind != JsonValueKind.String) throw WrongKind("a string");
        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The body is valid UTF-8, but an escape such as "\ud800" can still decode to a lone surrogate, which
            // JsonElement refuses to return; decode it ourselves and let the normalisation replace it.
            text = DecodeLeniently(element.GetRawText());
        }
        return ChannelText.Normalize(text);
    }

    /// <summary>Decodes a JSON string literal whose escapes JsonDocument has already validated, keeping lone surrogates.</summary>
    private static string DecodeLeniently(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            var escape = literal[++i];
            switch (escape)
            {
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    text.Append((char)ushort.Parse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: text.Append(escape); break;
            }
        }
        return text.ToString();
    }

    /// <summary>This value's compact JSON: the original text with insignificant whitespace removed, escapes untouched.</summary>
    public string CompactJson()
    {
        var raw = RawJson;
        var compact = new StringBuilder(raw.Length);
        var inString = false;
        var escaped = false;
        foreach (var c in raw)
        {
            if (inString)
            {
                compact.Append(c);
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            }
            else if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                compact.Append(c);
                inString = c == '"';
            }
        }
        return compact.ToString();
    }

    private ImmutableArray<PayloadElement> Items()
    {
        if (Kind != JsonValueKind.Array) throw WrongKind("an array");
        var items = ImmutableArray.CreateBuilder<PayloadElement>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray()) items.Add(new PayloadElement(item, $"{path}[{index++}]"));
        return items.MoveToImmutable();
    }

    private PayloadElement ExpectObject() => Kind == JsonValueKind.Object ? this : throw WrongKind("an object");

    private DateTimeOffset AsUnixTime(long unitsPerSecond, string expected)
    {
        long units;
        if (Kind == JsonValueKind.Number)
        {
            if (!element.TryGetInt64(out units)) throw Problem($"is not a {expected}");
        }
        else if (Kind == JsonValueKind.String)
        {
            if (!long.TryParse(AsString(), NumberStyles.None, CultureInfo.InvariantCulture, out units)) throw Problem($"is not a {expected}");
        }
        else
        {
            throw WrongKind($"a {expected}");
        }

        if (units < 0 || units / unitsPerSecond > MaxUnixSeconds) throw Problem($"is out of range for a {expected}");
        return DateTimeOffset.FromUnixTimeMilliseconds(units * (1000 / unitsPerSecond));
    }

    private MetaWebhookFormatException WrongKind(string expected) => Problem($"is {Describe(Kind)}, expected {expected}");

    private string ChildPath(string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "not a JSON value",
    };
}
