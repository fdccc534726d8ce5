using System.Text.Json;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Platform;

public sealed class OpenApiDocumentTests(FrontendFixture fixture) : IClassFixture<FrontendFixture>
{
    private readonly TestFrontend _frontend = fixture.Frontend;

    [Fact]
    public async Task Dump()
    {
        var text = await _frontend.Http.GetStringAsync("/openapi/v1.json");
        await File.WriteAllTextAsync("/tmp/openapi-doc.json", text);
        using var document = JsonDocument.Parse(text);
        Assert.True(document.RootElement.TryGetProperty("paths", out _));
    }
}
