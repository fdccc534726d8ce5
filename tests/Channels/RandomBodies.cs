using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.Channels;

/// <summary>Arbitrary bytes, and strings of JSON punctuation and Meta words, for <see cref="MetaWebhookFuzzTests"/>.</summary>
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
