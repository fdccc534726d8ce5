using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Flexoraa.Tests.Channels;

/// <summary>Reference payloads damaged the way a network or a buggy proxy would: truncated, cut, spliced, one byte changed.</summary>
public static class MutatedFixtures
{
    private static readonly byte[][] Fixtures = [.. MetaFixtures.AllBodies().Select(f => Encoding.UTF8.GetBytes(f.Body))];

    public static Arbitrary<WebhookBody> Bodies() =>
        (from fixture in Gen.Elements(Fixtures)
         from at in Gen.Choose(0, fixture.Length)
         from length in Gen.Choose(0, 12)
         from insert in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
         from how in Gen.Choose(0, 3)
         select new WebhookBody(how switch
         {
             0 => fixture[..at], // truncated delivery
             1 => [.. fixture[..at], .. fixture[Math.Min(fixture.Length, at + length)..]], // a slice cut out
             2 => [.. fixture[..at], .. insert, .. fixture[at..]], // bytes spliced in
             _ => [.. fixture[..at], .. insert.Take(1), .. fixture[Math.Min(fixture.Length, at + 1)..]], // one byte changed
         }))
        .ToArbitrary();
}
