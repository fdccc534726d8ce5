namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// The browser origins besides our own that may call the API and open hub connections: <c>Flexoraa:Cors:AllowedOrigins</c>,
/// already validated by <see cref="CorsSetup"/>. <c>*</c> allows any.
/// </summary>
public sealed class AllowedOrigins(IReadOnlyCollection<string> origins)
{
    private readonly HashSet<string> _origins = new(origins.Where(o => o != "*"), StringComparer.OrdinalIgnoreCase);
    private readonly bool _any = origins.Contains("*");

    /// <summary>
    /// Whether a request that carries <paramref name="origin"/> may proceed: it is this host's own origin (the console it
    /// serves), a configured one, or any when <c>*</c> is configured. Browsers always send the header on WebSocket
    /// upgrades and cross-origin requests; non-browser clients usually send none and are not affected.
    /// </summary>
    public bool Allows(string origin, HttpRequest request)
    {
        if (_any) return true;
        var trimmed = origin.TrimEnd('/');
        if (_origins.Contains(trimmed)) return true;
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
               && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
