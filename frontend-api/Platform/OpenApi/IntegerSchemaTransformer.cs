using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// The web serializer defaults read numbers from strings too, so the generator types every <c>int</c> and <c>long</c>
/// as "integer or string matching a pattern". The API writes numbers and documents numbers: clients and code
/// generators should see <c>integer</c> (a lenient read of "42" stays an undocumented courtesy).
/// </summary>
public sealed class IntegerSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
