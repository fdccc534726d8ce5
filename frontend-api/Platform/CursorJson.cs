using System.Text.Json;

namespace Flexoraa.FrontendApi.Platform;

/// <summary>How cursor keys are written: web defaults, so a key's JSON is compact and stable.</summary>
internal static class CursorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
