using System.Buffers;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>
/// The shape of a conversation id (<c>cv_</c> and 20 characters of ConversationKeys' alphabet). Anything else cannot
/// exist, so it is answered 404 without a database round trip.
/// </summary>
public static class ConversationIds
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("abcdefghijkmnpqrstuvwxyz23456789");

    public static bool IsWellFormed(string? id) =>
        id is { Length: 23 } && id.StartsWith("cv_", StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExcept(Alphabet) < 0;
}
