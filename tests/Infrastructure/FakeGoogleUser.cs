namespace Flexoraa.Tests.Infrastructure;

/// <summary>The account the fake provider signs in as at its next <c>/authorize</c>.</summary>
public sealed record FakeGoogleUser(string Subject, string Email, string Name, bool EmailVerified = true)
{
    public static FakeGoogleUser New(string? email = null, string name = "Asha Rao") =>
        new(Guid.NewGuid().ToString("N")[..21], email ?? $"g-{Guid.NewGuid():N}@example.com", name);
}
