namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>
/// Endpoint metadata: the endpoint also reads a <c>multipart/form-data</c> body with these parts. The handler reads
/// the form itself (to enforce per-channel size limits while streaming), so the framework cannot infer them.
/// </summary>
public sealed record MultipartForm(IReadOnlyList<MultipartFormField> Fields);
