using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flexoraa.Outbound;

/// <summary>
/// Decides whether a reply goes to the sandbox sender instead of Meta: always when <c>Flexoraa:Outbound:Sandbox</c> is
/// true, never when it is false, and otherwise only in local mode for an account whose credentials cannot be used — so a
/// developer can try the inbox without a Meta app, while cluster mode never pretends to deliver. "Cannot be used" covers
/// a token Meta itself refuses (190, or a bare 401): from that answer on, this process sends that account's replies to
/// the sandbox until it restarts (reconnecting the channel with a good token and restarting takes it back to Meta).
/// An unreachable Graph API host is not a reason: the token may be good, so the reply is retried and shows why.
/// </summary>
public sealed class SandboxPolicy
{
    private readonly OutboundSettings _settings;
    private readonly bool _localMode;
    private readonly ILogger<SandboxPolicy> _logger;
    private readonly ConcurrentDictionary<string, bool> _refusedAccounts = new(StringComparer.Ordinal);
    private int _warned;

    public SandboxPolicy(IOptions<OutboundSettings> settings, bool localMode, ILogger<SandboxPolicy> logger)
    {
        _settings = settings.Value;
        _localMode = localMode;
        _logger = logger;
        if (_settings.Sandbox == true)
        {
            _logger.LogWarning("Flexoraa:Outbound:Sandbox is on: replies are recorded in sandbox_sends and are NOT delivered to WhatsApp, Messenger or Instagram.");
        }
    }

    /// <summary>Whether a token Meta refuses sends the reply to the sandbox instead of failing it: local mode with the setting unset.</summary>
    public bool TakesRefusedTokens => _settings.Sandbox is null && _localMode;

    /// <summary>What the startup banner says about where replies go; null when they simply go to Meta.</summary>
    public string? BannerText => _settings.Sandbox switch
    {
        true => "SANDBOX ACTIVE: every reply is recorded in sandbox_sends and NOT delivered (Flexoraa:Outbound:Sandbox=true)",
        null when _localMode => "sandbox on standby: replies for channels whose token is missing or refused by Meta are recorded in sandbox_sends, NOT delivered",
        _ => null,
    };

    public bool Applies(string channelAccountId, bool credentialsUsable) =>
        Applies(credentialsUsable && !_refusedAccounts.ContainsKey(channelAccountId));

    public bool Applies(bool credentialsUsable)
    {
        var sandbox = _settings.Sandbox ?? (_localMode && !credentialsUsable);
        if (sandbox && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            _logger.LogWarning("Replies are going to the sandbox sender: they are recorded in sandbox_sends and are NOT delivered to customers. " +
                "Connect a channel with working credentials, or set Flexoraa:Outbound:Sandbox=false.");
        }
        return sandbox;
    }

    /// <summary>Meta refused the account's token; in local mode its replies go to the sandbox from now on. True when that applies.</summary>
    public bool TokenRefused(string channelAccountId, string error)
    {
        if (!TakesRefusedTokens) return false;
        if (_refusedAccounts.TryAdd(channelAccountId, true))
        {
            _logger.LogWarning("Meta refused the access token of channel account {Account} ({Error}); local mode sends its replies to the sandbox " +
                "(recorded in sandbox_sends, NOT delivered). Reconnect the channel with a valid token and restart to deliver again.", channelAccountId, error);
        }
        return true;
    }
}
