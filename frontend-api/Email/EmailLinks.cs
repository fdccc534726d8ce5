using Flexoraa.FrontendApi.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Flexoraa.FrontendApi.Email;

/// <summary>
/// Where links in emails (sign-up, invitations) point: <see cref="AuthSettings.PublicBaseUrl"/> when it is set, which a
/// deployment behind a proxy or on a domain must do; otherwise the address this host actually listens on, so that local
/// mode started with <c>--urls</c> or on a port of Kestrel's choosing still sends links that open.
/// </summary>
public sealed class EmailLinks(AuthSettings settings, IServer server)
{
    public string BaseUrl => settings.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : ListenAddress();

    private string ListenAddress()
    {
        // Known only once Kestrel has bound; no email is sent before the host has started.
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        return address is null ? Hosting.FlexoraaApp.DefaultUrl : Reachable(address);
    }

    /// <summary>A wildcard binding (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) is no address to open; this machine is.</summary>
    private static string Reachable(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return address.TrimEnd('/');
        }
        var builder = new UriBuilder(uri);
        if (builder.Host is "0.0.0.0" or "[::]" or "::") builder.Host = "localhost";
        return builder.Uri.GetLeftPart(UriPartial.Authority);
    }
}
