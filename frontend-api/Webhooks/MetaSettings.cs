namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The <c>Flexoraa:Meta</c> section: the deployment's own Meta app, used by every channel account connected without
/// an app secret of its own, and where the Graph API is.
/// </summary>
public sealed record MetaSettings
{
    /// <summary>The Meta app's App Secret, which signs its webhooks (<c>X-Hub-Signature-256</c>).</summary>
    public string? AppSecret { get; init; }

    /// <summary>The token typed into the app's webhook "Verify Token" field; accounts may also bring their own.</summary>
    public string? VerifyToken { get; init; }

    /// <summary>Tests point this at a fake Graph API on loopback.</summary>
    public string GraphApiBaseUrl { get; init; } = "https://graph.facebook.com";
    public string GraphApiVersion { get; init; } = "v23.0";

    public const string Section = "Flexoraa:Meta";
}
