namespace Flexoraa.Outbound;

/// <summary>
/// Failure codes of our own for replies, negative so they never collide with Meta's; stored and shown like Meta's codes.
/// </summary>
public static class OutboundErrors
{
    /// <summary>An attempt was in flight when its silo stopped or the call's outcome was lost; it is never resent.</summary>
    public const int Interrupted = -1;
    public const string InterruptedTitle = "Interrupted; may or may not have been delivered";

    /// <summary>Meta kept refusing for reasons that heal by waiting (rate limits) until <see cref="OutboundSettings.GiveUpAfter"/>.</summary>
    public const int GaveUp = -2;
    public const string GaveUpTitle = "Gave up retrying";

    /// <summary>The channel account was disconnected, or its access token cannot be decrypted.</summary>
    public const int AccountUnavailable = -3;
    public const string AccountUnavailableTitle = "Channel account unavailable";
}
