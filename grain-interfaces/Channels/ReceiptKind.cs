namespace Flexoraa.Channels;

/// <summary>What a Messenger/Instagram receipt confirms. Numbers are serialized; never renumber.</summary>
public enum ReceiptKind
{
    Delivered = 0,
    Read = 1,
}
