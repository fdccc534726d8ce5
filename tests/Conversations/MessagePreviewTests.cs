using Flexoraa.Channels;
using Flexoraa.Conversations;

namespace Flexoraa.Tests.Conversations;

public sealed class MessagePreviewTests
{
    public static TheoryData<string?, MessageKind, string?, string> Cases => new()
    {
        { "Hello", MessageKind.Text, null, "Hello" },
        { "a caption", MessageKind.Image, null, "a caption" },
        { null, MessageKind.Image, null, "[image]" },
        { "", MessageKind.Audio, null, "[audio]" },
        { null, MessageKind.Document, null, "[document]" },
        { null, MessageKind.ButtonReply, null, "[buttonreply]" },
        { null, MessageKind.Template, "order_update", "[template order_update]" },
        { "Your order shipped", MessageKind.Template, "order_update", "Your order shipped" },
        { new string('x', 160), MessageKind.Text, null, new string('x', 160) },
        { new string('x', 161), MessageKind.Text, null, new string('x', 159) + "…" },
        { new string('x', 158) + "😀" + "tail", MessageKind.Text, null, new string('x', 158) + "…" },
        { new string('x', 157) + "😀" + "tail", MessageKind.Text, null, new string('x', 157) + "😀…" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_preview_is_the_text_or_a_label_for_the_kind_cut_to_160_characters(string? text, MessageKind kind, string? template, string expected)
    {
        var preview = MessagePreview.Of(text, kind, template);

        Assert.Equal(expected, preview);
        Assert.True(preview.Length <= MessagePreview.MaxLength);
    }
}
