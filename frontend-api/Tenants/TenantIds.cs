using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Flexoraa.FrontendApi.Tenants;

/// <summary>
/// Tenant ids look like <c>tn_7k2m9x4q1w8e5r3t</c>. The prefix keeps them from ever parsing as a number or Guid,
/// which Orleans' ADO.NET storage would otherwise key differently (see docs on key collisions).
/// </summary>
public static partial class TenantIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New() => "tn_" + RandomNumberGenerator.GetString(Alphabet, 16);

    public static bool IsWellFormed(string id) => Pattern().IsMatch(id);

    [GeneratedRegex("^tn_[a-z0-9]{16}$")]
    private static partial Regex Pattern();
}
