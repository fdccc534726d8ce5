namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The <c>Flexoraa:Meta</c> section: the deployment's own Meta app, used by every channel account connected without
/// an app secret of its own. Where the Graph API is (<c>GraphApiBaseUrl</c>, <c>GraphApiVersion</c>) is in the same
/// section but read by <see cref="Flexoraa.Channels.Meta.GraphApiSettings"/>, because silos call the Graph API.
/// </summary>
public sealed record MetaSettings
{
    /// <summary>The Meta app's App Secret, which signs its webhooks (<c>X-Hub-Signature-256</c>).</summary>
    public string? AppSecret { get; init; }

    /// <summary>The token typed into the app's webhook "Verify Token" field; accounts may also bring their own.</summary>
    public string? VerifyToken { get; init; }

    public const string Section = "Flexoraa:Meta";
}
