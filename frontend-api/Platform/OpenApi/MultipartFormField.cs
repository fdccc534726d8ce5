namespace Flexoraa.FrontendApi.Platform.OpenApi;

/// <summary>One part of a <c>multipart/form-data</c> body: a file, or a text field.</summary>
public sealed record MultipartFormField(string Name, string Description, bool IsFile = false, bool Required = false);
