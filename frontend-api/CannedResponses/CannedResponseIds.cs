using System.Buffers;
using Flexoraa.FrontendApi.Identity;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>Ids are <c>cr_</c> and 16 characters of <see cref="OpaqueTokens.NewId"/>'s alphabet; other shapes are a 404 without a query.</summary>
public static class CannedResponseIds
{
    private const string Prefix = "cr_";
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("abcdefghijkmnpqrstuvwxyz23456789");

    public static string New() => OpaqueTokens.NewId(Prefix);

    public static bool IsWellFormed(string? id) =>
        id is { Length: 19 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;
}
