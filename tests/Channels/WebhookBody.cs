using System.Text;

namespace Flexoraa.Tests.Channels;

/// <summary>A generated body; ToString shows it readably when FsCheck reports a counterexample.</summary>
public sealed record WebhookBody(byte[] Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}
