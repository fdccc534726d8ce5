using Microsoft.OpenApi;

namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>How an endpoint names the inputs that the generated document cannot infer from its handler's signature.</summary>
public static class OpenApiEndpointConventions
{
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder endpoint, string name, string description, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new DocumentedParameter(name, ParameterLocation.Header, description, required));

    public static TBuilder WithQueryParameter<TBuilder>(this TBuilder endpoint, string name, string description, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new DocumentedParameter(name, ParameterLocation.Query, description, required));

    public static TBuilder AcceptsMultipartForm<TBuilder>(this TBuilder endpoint, params MultipartFormField[] fields)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new MultipartForm(fields));
}
