using System.Globalization;

namespace Flexoraa.Bench;

/// <summary>Command-line options: <c>--messages N --connections C --rate R</c> (R = 0 sends flat out).</summary>
public sealed record LoadOptions(int Messages, int Connections, int RatePerSecond, int Contacts)
{
    public static LoadOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new LoadOptions(Get("--messages", 20_000), Get("--connections", 64), Get("--rate", 0), Get("--contacts", 2_000));
    }
}
