namespace Flexoraa.Outbound;

/// <summary>
/// Sends one reply on one channel. Errors are thrown (Graph errors as <c>GraphApiException</c>) and classified by
/// <see cref="OutboundSenders"/>, so every sender fails the same way.
/// </summary>
public interface IOutboundSender
{
    /// <summary>Sends it and returns the id the channel gave it.</summary>
    Task<string> SendAsync(OutboundMessageRecord message, string externalAccountId, string accessToken, CancellationToken cancellationToken);
}
