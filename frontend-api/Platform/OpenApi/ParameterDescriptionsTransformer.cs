using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// Describes the parameters that mean the same everywhere (the page, the search, ids in the path) so that no
/// endpoint repeats it and none is left bare. A description the endpoint gives itself wins.
/// </summary>
public sealed partial class ParameterDescriptionsTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Common = new(StringComparer.Ordinal)
    {
        ["cursor"] = "The nextCursor of the previous page; omit it for the first page.",
        ["before"] = "The nextCursor of the previous page of messages, to read older ones; omit it for the newest.",
        ["limit"] = $"Items per page, 1 to {PageRequest<object>.MaxLimit} (default {PageRequest<object>.DefaultLimit}).",
        ["q"] = "Words to search for.",
        ["channel"] = "The messaging channel: whatsapp, messenger or instagram.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (!string.IsNullOrEmpty(parameter.Description) || parameter.Name is null) continue;
            if (Common.TryGetValue(parameter.Name, out var common)) parameter.Description = common;
            else if (parameter.In == ParameterLocation.Path && parameter.Name.EndsWith("Id", StringComparison.Ordinal))
            {
                parameter.Description = $"The id of the {Words(parameter.Name[..^2])}; another tenant's id is a 404.";
            }
        }
        return Task.CompletedTask;
    }

    /// <summary><c>channelAccount</c> → <c>channel account</c>; <c>apiKey</c> → <c>API key</c>.</summary>
    private static string Words(string camel) => CamelHump().Replace(camel, " $1").ToLowerInvariant().Replace("api ", "API ", StringComparison.Ordinal);

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex CamelHump();
}
