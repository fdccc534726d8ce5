namespace Flexoraa.Channels.Meta;

/// <summary>
/// A Meta webhook body that is not what Meta sends: not UTF-8 JSON, the wrong <c>object</c>, or a required field
/// missing or of the wrong type. It is the only exception the parsers throw for any input, so a webhook endpoint can
/// answer 400 with <see cref="Exception.Message"/>, which names the field by its JSON path.
/// </summary>
public sealed class MetaWebhookFormatException : Exception
{
    public MetaWebhookFormatException()
        : this("The webhook body is malformed.")
    {
    }

    public MetaWebhookFormatException(string message)
        : this(message, null)
    {
    }

    public MetaWebhookFormatException(string message, Exception? innerException)
        : base(message, innerException) => Path = "";

    /// <param name="path">Where in the body, e.g. <c>entry[0].changes[1].value.messages[0].id</c>; empty for the body itself.</param>
    /// <param name="problem">What is wrong there, as a predicate: "is missing", "is a number, expected a string".</param>
    /// <param name="innerException">The JSON reader's exception, when there was one.</param>
    public MetaWebhookFormatException(string path, string problem, Exception? innerException = null)
        : base($"{(path.Length == 0 ? "The body" : path)} {problem}", innerException) => Path = path;

    /// <summary>The JSON path of the offending value; empty when the body as a whole is the problem.</summary>
    public string Path { get; }
}
