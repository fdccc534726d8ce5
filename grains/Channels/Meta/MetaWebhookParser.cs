namespace Flexoraa.Channels.Meta;

/// <summary>
/// Parses any Meta webhook body by its <c>object</c>: WhatsApp, Messenger or Instagram. For an endpoint that
/// receives all three products on one callback URL; the body is parsed once.
/// </summary>
public static class MetaWebhookParser
{
    /// <exception cref="MetaWebhookFormatException">The body is not a Meta webhook of the documented shape.</exception>
    public static MetaWebhookBatch Parse(ReadOnlyMemory<byte> body)
    {
        using var document = PayloadElement.Open(body);
        var root = PayloadElement.Root(document);
        var objectName = root.ObjectName();
        return objectName switch
        {
            WhatsAppWebhookParser.ObjectName => WhatsAppWebhookParser.Parse(root),
            MessengerWebhookParser.MessengerObjectName or MessengerWebhookParser.InstagramObjectName => MessengerWebhookParser.Parse(root, objectName),
            _ => throw root.Required("object").Problem(
                $"is '{objectName}', expected '{WhatsAppWebhookParser.ObjectName}', '{MessengerWebhookParser.MessengerObjectName}' or '{MessengerWebhookParser.InstagramObjectName}'"),
        };
    }
}
