namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>One stored event batch of a queue: its sequence number and the serialized container.</summary>
public readonly record struct StreamLogRow(long Sequence, byte[] Payload);
