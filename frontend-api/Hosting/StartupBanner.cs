using Flexoraa.FrontendApi.Email;
using Flexoraa.Silo.Hosting;

namespace Flexoraa.FrontendApi.Hosting;

/// <summary>
/// The one line printed once the host listens: the mode (never the ASP.NET environment name, which says nothing about
/// how Flexoraa runs), the URLs, where the data is, whether replies may go to the sandbox instead of Meta
/// (<see cref="Sandbox"/>, the sandbox policy's own words) and, without SMTP, where the emails are.
/// </summary>
public sealed record StartupBanner(RunMode Mode, bool CoHostsSilo, IReadOnlyList<string> Addresses, string DataDirectory, bool HasSmtp, string? Sandbox = null)
{
    public override string ToString()
    {
        var mode = Mode == RunMode.Local ? "local mode" : "cluster mode";
        var role = CoHostsSilo ? "frontend + co-hosted silo" : "frontend (Orleans client)";
        var first = Addresses.Count > 0 ? Addresses[0] : "";
        var text = $"Flexoraa is running · {mode} ({role}) · {string.Join(", ", Addresses)} · API reference {first}/scalar · data {DataDirectory}";
        if (Sandbox is not null) text += " · " + Sandbox;
        if (HasSmtp) return text;
        return Mode == RunMode.Local
            ? text + $" · no SMTP: emails are logged here and listed for Owners at {first}/api/v1{LocalOutboxEndpoints.Path}"
            : text + " · no SMTP: emails are logged and kept in outbound_emails";
    }
}
