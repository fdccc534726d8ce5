namespace Flexoraa.FrontendApi.Identity;

public static class HttpContextCallerExtensions
{
    /// <summary>The authenticated caller; endpoints behind an authorization policy always have one.</summary>
    public static Caller Caller(this HttpContext context) =>
        Identity.Caller.From(context.User) ?? throw new InvalidOperationException("The endpoint needs an authorization policy.");

    public static string? ClientIp(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
