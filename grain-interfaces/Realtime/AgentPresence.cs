namespace Flexoraa.Realtime;

/// <summary>Whether an agent can take conversations, as their SignalR connections and heartbeats show.</summary>
public enum AgentPresence
{
    Offline,
    Online,
    Away,
}
