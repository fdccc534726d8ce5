using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>Writes the <see cref="DocumentedParameter"/> and <see cref="MultipartForm"/> metadata of an endpoint into its operation.</summary>
public sealed class DocumentedInputsTransformer : IOpenApiOperationTransformer
{
    public const string MultipartContentType = "multipart/form-data";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var parameter in metadata.OfType<DocumentedParameter>())
        {
            operation.Parameters ??= [];
            // A parameter the framework found (an [AsParameters] property, which cannot carry [Description] without
            // breaking the generator in ASP.NET Core 10) only gets the description.
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == parameter.In && string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                if (string.IsNullOrEmpty(found.Description)) found.Description = parameter.Description;
                continue;
            }
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.In,
                Description = parameter.Description,
                Required = parameter.Required,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        if (metadata.OfType<MultipartForm>().LastOrDefault() is { } form)
        {
            operation.RequestBody ??= new OpenApiRequestBody();
            var body = (OpenApiRequestBody)operation.RequestBody;
            body.Content ??= new Dictionary<string, OpenApiMediaType>();
            body.Content[MultipartContentType] = new OpenApiMediaType { Schema = FormSchema(form) };
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema FormSchema(MultipartForm form)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
        };
        foreach (var field in form.Fields)
        {
            schema.Properties[field.Name] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = field.IsFile ? "binary" : null,
                Description = field.Description,
            };
            if (field.Required) schema.Required.Add(field.Name);
        }
        return schema;
    }
}
