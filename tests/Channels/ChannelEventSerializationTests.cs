using System.Reflection;
using System.Text.Json;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static Flexoraa.Tests.Channels.MetaFixtures;

namespace Flexoraa.Tests.Channels;

/// <summary>The events travel on Orleans streams and into grains, so every one must survive Orleans' serializer.</summary>
public sealed class ChannelEventSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    public static TheoryData<string> FixtureNames() => [.. AllBodies().Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_parsed_event_survives_an_orleans_round_trip_as_a_channel_event(string fixture)
    {
        var body = AllBodies().Single(f => f.Name == fixture).Body;

        foreach (var original in MetaWebhookParser.Parse(Utf8(body)).Events)
        {
            var copy = Serializer.Deserialize<ChannelEvent>(Serializer.SerializeToArray<ChannelEvent>(original));

            Assert.IsType(original.GetType(), copy);
            // Records with ImmutableArray compare arrays by reference, so compare the full contents as JSON instead.
            Assert.Equal(JsonSerializer.Serialize(original, original.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
        }
    }

    [Fact]
    public void Every_channel_record_is_an_aliased_immutable_orleans_type()
    {
        var records = typeof(ChannelEvent).Assembly.GetTypes()
            // Static classes (key builders) carry no data across grain boundaries.
            .Where(t => t.Namespace == "Flexoraa.Channels" && t.IsClass && t.IsPublic && !(t.IsAbstract && t.IsSealed))
            .ToList();

        Assert.Contains(typeof(ChannelMessage), records);
        Assert.All(records, t =>
        {
            Assert.NotNull(t.GetCustomAttribute<GenerateSerializerAttribute>(inherit: false));
            Assert.NotNull(t.GetCustomAttribute<ImmutableAttribute>(inherit: false));
            Assert.Equal($"Flexoraa.Channels.{t.Name}", t.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias);
            Assert.True(t.IsAbstract || t.IsSealed, $"{t.Name} should be sealed");
        });
    }
}
