using PhoneNumbers;

namespace Flexoraa.Leads.Import;

/// <summary>
/// Phone numbers as people type them ("(415) 555-0100", "0151 1234 5678", "+91 98765 43210", "0044 20 7946 0958") to
/// E.164, with libphonenumber and the tenant's default region for numbers written without a country code.
/// </summary>
public static class PhoneNumberText
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="region">ISO 3166 alpha-2 (e.g. "IN"); null when the tenant has none, so only international numbers parse.</param>
    /// <returns>The E.164 form, or null with <paramref name="problem"/> saying why.</returns>
    public static string? ToE164(string text, string? region, out string? problem)
    {
        problem = null;
        var trimmed = text.Trim();
        // "00" is the international prefix in most of the world; libphonenumber only knows it relative to a region.
        if (trimmed.StartsWith("00", StringComparison.Ordinal)) trimmed = "+" + trimmed[2..];
        try
        {
            var number = Util.Parse(trimmed, region?.ToUpperInvariant() ?? "ZZ");
            if (Util.IsValidNumber(number)) return Util.Format(number, PhoneNumberFormat.E164);
            problem = $"'{text}' is not a valid phone number" + (region is null ? "" : $" for region {region.ToUpperInvariant()}");
        }
        catch (NumberParseException e)
        {
            problem = e.ErrorType == ErrorType.INVALID_COUNTRY_CODE
                ? $"'{text}' has no country code and the workspace has no default region; write it as +<country code><number>"
                : $"'{text}' is not a phone number";
        }
        return null;
    }
}
