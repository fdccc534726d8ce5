using System.Collections.Immutable;
using Flexoraa.Conversations;
using Flexoraa.Presence;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Flexoraa.Tenants;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Assignment;

/// <summary>
/// Round-robin over the tenant's agents who are online, whose role works conversations (SDR, Admin, Owner: the roles
/// with <see cref="Permission.WorkConversations"/>) and who hold fewer open + pending conversations than their capacity.
/// The agent who gets one goes to the back of the rotation; a conversation nobody can take waits in a FIFO queue that
/// drains when an agent comes online, frees capacity or gets more of it.
/// <para>
/// Not reentrant, so every decision sees the counts its previous one left: two conversations arriving together can
/// never both go to the agent who had one slot left. Assigning is a call to the conversation grain's
/// <see cref="IConversationGrain.AutoAssign"/>, which goes through the same Assign path as a person, so the read model,
/// <see cref="AssignmentChanged"/> and the SDR rules stay in one place.
/// </para>
/// </summary>
public sealed class AutoAssignmentGrain(
    [PersistentState("autoassignment", StorageProviders.Default)] IPersistentState<AutoAssignmentState> state,
    AssignmentReadModel readModel,
    ILogger<AutoAssignmentGrain> logger) : Grain, IAutoAssignmentGrain
{
    /// <summary>Beyond this many waiting conversations the oldest are dropped from the queue (they stay unassigned and visible in the inbox).</summary>
    public const int MaxQueue = 10_000;

    private readonly Dictionary<string, string> _assigneeOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _load = new(StringComparer.Ordinal);
    private readonly HashSet<string> _available = new(StringComparer.Ordinal);
    private ImmutableArray<TenantMember> _members = [];
    private AutoAssignmentSettings _settings = AutoAssignmentSettings.Default;
    private bool _dirty;

    private string TenantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var tenant = GrainFactory.GetGrain<ITenantGrain>(TenantId);
        _settings = (await tenant.Get())?.Settings.AutoAssignment ?? AutoAssignmentSettings.Default;
        ApplyMembers(await tenant.Members());
        foreach (var entry in await GrainFactory.GetGrain<IAgentPresenceGrain>(TenantId).List())
        {
            if (entry.Presence == AgentPresence.Online) _available.Add(entry.UserId);
        }
        await ReconcileAsync(cancellationToken);
        if (_dirty) await SaveAsync();

        // A queue that outlived the previous activation needs no event to start draining.
        if (state.State.Queue.Count > 0 && _settings.Enabled)
        {
            this.RegisterGrainTimer(async _ => await PumpAndSaveAsync(), new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
        }
    }

    public async Task ConversationChanged(ConversationWorkload workload)
    {
        Track(workload);
        var queued = state.State.Queue.Contains(workload.ConversationId);
        if (workload.AssigneeUserId is not null || !workload.Active)
        {
            if (queued) Dequeue(workload.ConversationId);
        }
        else if (workload.NeedsAgent && _settings.Enabled && !queued)
        {
            // Behind whoever already waits: the queue is first come, first served.
            if (state.State.Queue.Count == 0 && await TryAssignAsync(workload.ConversationId) != Offer.NoAgent)
            {
                await SaveIfDirtyAsync();
                return;
            }
            Enqueue(workload.ConversationId);
        }
        await PumpAndSaveAsync();
    }

    public async Task AvailabilityChanged(string userId, bool available)
    {
        if (available ? _available.Add(userId) : _available.Remove(userId)) await PumpAndSaveAsync();
    }

    public async Task SettingsChanged(AutoAssignmentSettings settings)
    {
        _settings = settings;
        if (!settings.Enabled && state.State.Queue.Count > 0)
        {
            // Switching it off means nobody gets assigned automatically, now or when it is switched on again.
            state.State.Queue.Clear();
            _dirty = true;
        }
        await PumpAndSaveAsync();
    }

    public async Task MembersChanged(ImmutableArray<TenantMember> members)
    {
        ApplyMembers(members);
        await PumpAndSaveAsync();
    }

    public async Task SetCapacity(string userId, int? capacity)
    {
        if (capacity is { } value) state.State.Capacities[userId] = Math.Clamp(value, 0, AutoAssignmentSettings.MaxCapacity);
        else state.State.Capacities.Remove(userId);
        _dirty = true;
        await PumpAndSaveAsync();
    }

    public Task<AutoAssignmentSnapshot> Snapshot()
    {
        var order = state.State.Rotation.Select((userId, index) => (userId, index)).ToDictionary(p => p.userId, p => p.index, StringComparer.Ordinal);
        var agents = _members
            .OrderBy(m => order.TryGetValue(m.UserId, out var i) ? i : int.MaxValue)
            .Select(m => new AgentWorkload(m.UserId, m.Role, Works(m.Role), _available.Contains(m.UserId), LoadOf(m.UserId), CapacityOf(m.UserId),
                state.State.Capacities.TryGetValue(m.UserId, out var own) ? own : null))
            .ToImmutableArray();
        return Task.FromResult(new AutoAssignmentSnapshot(_settings, agents, [.. state.State.Queue]));
    }

    private static bool Works(TenantRole role) => RolePermissions.Allows(role, Permission.WorkConversations);

    private int LoadOf(string userId) => _load.TryGetValue(userId, out var n) ? n : 0;

    private int CapacityOf(string userId) => state.State.Capacities.TryGetValue(userId, out var own) ? own : _settings.DefaultCapacity;

    /// <summary>Keeps <see cref="_load"/> equal to the open + pending conversations per assignee, whatever order reports come in.</summary>
    private void Track(ConversationWorkload workload) => SetAssignee(workload.ConversationId, workload.Active ? workload.AssigneeUserId : null);

    private void SetAssignee(string conversationId, string? assignee)
    {
        if (_assigneeOf.TryGetValue(conversationId, out var previous))
        {
            if (previous == assignee) return;
            _assigneeOf.Remove(conversationId);
            if (--_load[previous] <= 0) _load.Remove(previous);
        }
        if (assignee is null) return;
        _assigneeOf[conversationId] = assignee;
        _load[assignee] = LoadOf(assignee) + 1;
    }

    private void ApplyMembers(ImmutableArray<TenantMember> members)
    {
        _members = members.IsDefault ? [] : members;
        var working = _members.Where(m => Works(m.Role)).OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).Select(m => m.UserId).ToList();
        var kept = state.State.Rotation.Where(working.Contains).ToList();
        // Newcomers join at the back, so they do not jump the agents who have waited longest for their next one.
        kept.AddRange(working.Where(u => !kept.Contains(u)));
        if (!kept.SequenceEqual(state.State.Rotation))
        {
            state.State.Rotation = kept;
            _dirty = true;
        }
        foreach (var gone in state.State.Capacities.Keys.Where(u => !_members.Any(m => m.UserId == u)).ToList())
        {
            state.State.Capacities.Remove(gone);
            _dirty = true;
        }
    }

    /// <summary>The next agent in rotation who is online, works conversations and has room; null when nobody has.</summary>
    private string? NextAgent(HashSet<string> refused)
    {
        foreach (var userId in state.State.Rotation)
        {
            if (refused.Contains(userId) || !_available.Contains(userId)) continue;
            if (_members.FirstOrDefault(m => m.UserId == userId) is not { } member || !Works(member.Role)) continue;
            if (LoadOf(userId) < CapacityOf(userId)) return userId;
        }
        return null;
    }

    private async Task PumpAndSaveAsync()
    {
        while (_settings.Enabled && state.State.Queue.Count > 0)
        {
            var head = state.State.Queue[0];
            var offer = await TryAssignAsync(head);
            if (offer is Offer.NoAgent or Offer.Failed) break;
            Dequeue(head);
        }
        await SaveIfDirtyAsync();
    }

    /// <summary>Offers the conversation to agents in rotation order until one takes it or it needs nobody any more.</summary>
    private async Task<Offer> TryAssignAsync(string conversationId)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        while (NextAgent(refused) is { } agent)
        {
            ConversationWorkload after;
            try
            {
                after = await GrainFactory.GetGrain<IConversationGrain>(ConversationKeys.GrainKey(TenantId, conversationId)).AutoAssign(agent);
            }
            catch (Exception e)
            {
                // It stays queued; the next event (a conversation, an agent coming online) tries again.
                logger.LogWarning(e, "Auto-assigning conversation {Conversation} of tenant {Tenant} failed", conversationId, TenantId);
                return Offer.Failed;
            }
            Track(after);
            if (after.AssigneeUserId == agent)
            {
                state.State.Rotation.Remove(agent);
                state.State.Rotation.Add(agent);
                _dirty = true;
                return Offer.Assigned;
            }
            if (after.AssigneeUserId is not null || !after.Active) return Offer.NotNeeded;
            // Still unassigned and open: the conversation refused this agent (no longer a member, say); try the next.
            refused.Add(agent);
        }
        return Offer.NoAgent;
    }

    private void Enqueue(string conversationId)
    {
        state.State.Queue.Add(conversationId);
        if (state.State.Queue.Count > MaxQueue)
        {
            logger.LogWarning("Auto-assignment queue of tenant {Tenant} is full; conversation {Conversation} leaves it unassigned", TenantId, state.State.Queue[0]);
            state.State.Queue.RemoveAt(0);
        }
        _dirty = true;
    }

    private void Dequeue(string conversationId)
    {
        if (state.State.Queue.Remove(conversationId)) _dirty = true;
    }

    private async Task SaveIfDirtyAsync()
    {
        if (_dirty) await SaveAsync();
    }

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
    }

    /// <summary>
    /// Rebuilds the counts from the read model, and drops queued conversations that meanwhile got an assignee or closed
    /// (their reports may have been lost with a crashed silo: one-way calls are not retried).
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var snapshot = await readModel.ReadAsync(TenantId, state.State.Queue, cancellationToken);
        foreach (var (conversationId, assignee) in snapshot.Assigned) SetAssignee(conversationId, assignee);
        if (state.State.Queue.Count == 0) return;
        var stillWaiting = snapshot.StillWaiting;
        if (state.State.Queue.RemoveAll(id => !stillWaiting.Contains(id)) > 0) _dirty = true;
    }

    private enum Offer
    {
        Assigned,
        NotNeeded,
        NoAgent,
        Failed,
    }
}
