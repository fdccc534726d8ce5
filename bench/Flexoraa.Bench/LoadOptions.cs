using System.Globalization;

namespace Flexoraa.Bench;

/// <summary>
/// Command-line options: <c>--messages N --connections C --rate R --contacts K --per-webhook M</c> (R = 0 sends flat out;
/// M messages share one webhook, as Meta batches several changes into one POST; R counts webhooks).
/// </summary>
public sealed record LoadOptions(int Messages, int Connections, int RatePerSecond, int Contacts, int PerWebhook = 1)
{
    public int Webhooks => (Messages + PerWebhook - 1) / PerWebhook;

    public static LoadOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new LoadOptions(Get("--messages", 20_000), Get("--connections", 64), Get("--rate", 0), Get("--contacts", 2_000), Math.Max(1, Get("--per-webhook", 1)));
    }
}
