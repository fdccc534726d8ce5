using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flexoraa.Outbound;

/// <summary>
/// Decides whether a reply goes to the sandbox sender instead of Meta: always when <c>Flexoraa:Outbound:Sandbox</c> is
/// true, never when it is false, and otherwise only in local mode for an account whose credentials cannot be used — so a
/// developer can try the inbox without a Meta app, while cluster mode never pretends to deliver.
/// </summary>
public sealed class SandboxPolicy
{
    private readonly OutboundSettings _settings;
    private readonly bool _localMode;
    private readonly ILogger<SandboxPolicy> _logger;
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
}
