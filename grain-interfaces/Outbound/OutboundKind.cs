namespace Flexoraa.Outbound;

/// <summary>What a reply carries. Numbers are serialized; never renumber them.</summary>
public enum OutboundKind
{
    Text = 0,

    /// <summary>A pre-approved WhatsApp template: the only thing WhatsApp accepts outside the 24-hour window.</summary>
    Template = 1,

    /// <summary>An uploaded file (image, video, audio or document), with an optional caption.</summary>
    Media = 2,
}
