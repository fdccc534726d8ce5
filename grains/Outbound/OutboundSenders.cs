using System.Net;
using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.ReadModels;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Flexoraa.Outbound;

/// <summary>
/// Runs one send attempt for a reply: finds the channel account and its token, picks the channel's sender (or the
/// sandbox), and classifies whatever happens into an <see cref="OutboundSendResult"/>. The classification is what keeps
/// a reply from going out twice: only a certain refusal is <see cref="OutboundVerdict.Retry"/>; anything that may have
/// reached Meta without an answer is <see cref="OutboundVerdict.Interrupted"/>.
/// </summary>
public sealed class OutboundSenders(
    WhatsAppSender whatsApp,
    MessengerSender messenger,
    SandboxSender sandbox,
    SandboxPolicy sandboxPolicy,
    TenantDatabase database,
    ChannelSecretProtector protector,
    ILogger<OutboundSenders> logger)
{
    public async Task<OutboundSendResult> SendAsync(OutboundMessageRecord message, CancellationToken cancellationToken)
    {
        if (message.Sandbox) return OutboundSendResult.Sent(await sandbox.SendAsync(message, cancellationToken));

        ChannelAccountRecord? account;
        await using (var session = await database.BeginAsync(message.TenantId, cancellationToken))
        {
            account = await ChannelAccountStore.FindAsync(session, message.ChannelAccountId, cancellationToken: cancellationToken);
        }
        if (account is null || account.Status != ChannelAccountRecord.Active)
        {
            return Failed(OutboundErrors.AccountUnavailable, OutboundErrors.AccountUnavailableTitle, "The channel account was disconnected; reconnect it to reply.");
        }
        string token;
        try
        {
            token = protector.Unprotect(account.AccessTokenProtected);
        }
        catch (CryptographicException)
        {
            return Failed(OutboundErrors.AccountUnavailable, OutboundErrors.AccountUnavailableTitle, "The channel account's access token cannot be decrypted; reconnect the channel.");
        }

        IOutboundSender sender = message.Channel == ChannelKind.WhatsApp ? whatsApp : messenger;
        try
        {
            return OutboundSendResult.Sent(await sender.SendAsync(message, account.ExternalAccountId, token, cancellationToken));
        }
        catch (GraphApiException e)
        {
            var result = Classify(e);
            logger.LogInformation("Reply {Tenant}/{MessageId}: {Verdict} ({Error})", message.TenantId, message.MessageId, result.Verdict, e.Message);
            if (IsRefusedToken(e) && sandboxPolicy.TokenRefused(message.ChannelAccountId, e.Message))
            {
                // Refused before anything was sent, so the sandbox can take it without the customer ever getting two.
                return new OutboundSendResult(OutboundVerdict.Sent, await sandbox.SendAsync(message, cancellationToken), Sandboxed: true);
            }
            return result;
        }
        catch (Exception e) when (GraphApiRetries.IsConnectFailure(e))
        {
            return new OutboundSendResult(OutboundVerdict.Retry, ErrorMessage: $"Could not reach the Graph API ({e.Message}); retried until it answers" +
                (sandboxPolicy.TakesRefusedTokens ? " (local mode does not use the sandbox for this: the token may be good)" : ""));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(e, "Reply {Tenant}/{MessageId}: the send's outcome is unknown", message.TenantId, message.MessageId);
            return new OutboundSendResult(OutboundVerdict.Interrupted, null, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle,
                $"The call to the Graph API ended without an answer ({e.Message}); it is not retried so that the customer never gets it twice.");
        }
    }

    /// <summary>
    /// Meta's error decides (its code, not the HTTP status): rate limits and other transient refusals are retried later;
    /// 131047, 131026, 368, 100, 190 and the rest fail for good with Meta's code and title. A success status with an
    /// unreadable body, or a bare server error, may have sent the message: interrupted.
    /// </summary>
    public static OutboundSendResult Classify(GraphApiException e)
    {
        if (e.Error is { } error)
        {
            if (error.IsTransient) return new OutboundSendResult(OutboundVerdict.Retry, null, error.Code, Title(error), error.Details ?? error.Message, e.RetryAfter);
            return Failed(error.Code, Title(error), error.Details ?? error.Message);
        }
        if ((int)e.Status >= 500 || e.Status == HttpStatusCode.OK || (int)e.Status < 400)
        {
            return new OutboundSendResult(OutboundVerdict.Interrupted, null, OutboundErrors.Interrupted, OutboundErrors.InterruptedTitle, e.Message);
        }
        return Failed((int)e.Status, $"HTTP {(int)e.Status}", e.Message);
    }

    /// <summary>Meta's answer that the token is no good: OAuth error 190 (expired, revoked, unparsable), or a bare 401.</summary>
    private static bool IsRefusedToken(GraphApiException e) => e.Error is { Code: 190 } || (e.Error is null && e.Status == HttpStatusCode.Unauthorized);

    /// <summary>Meta's title is the message after its <c>(#code)</c> prefix: "(#131047) Re-engagement message".</summary>
    private static string? Title(GraphApiError error)
    {
        var message = error.Message;
        if (message is null) return null;
        if (message.StartsWith("(#", StringComparison.Ordinal) && message.IndexOf(") ", StringComparison.Ordinal) is > 0 and var end) return message[(end + 2)..];
        return message;
    }

    private static OutboundSendResult Failed(int code, string? title, string? message) => new(OutboundVerdict.Failed, null, code, title, message);
}
