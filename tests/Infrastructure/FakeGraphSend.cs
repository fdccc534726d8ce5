namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// One request <see cref="FakeGraphApi"/> got on a send endpoint (<c>/{version}/{node}/messages</c> or <c>/media</c>):
/// the JSON body or the multipart fields, what it answered, and the id it gave when it accepted the message.
/// </summary>
public sealed record FakeGraphSend(
    string Path,
    string Node,
    string Endpoint,
    string? Json,
    IReadOnlyDictionary<string, string> Fields,
    string? FileName,
    string? FileContentType,
    byte[]? File,
    int Status,
    string? AcceptedId);
