using System.Collections.Immutable;
using Flexoraa.Audit;
using Flexoraa.Realtime;
using Npgsql;

namespace Flexoraa.Leads;

public sealed partial class LeadGrain
{
    public const string MergedAuditAction = "lead.merged";

    public async Task<LeadChangeResult> MergeFrom(string sourceLeadId, long? expectedVersion, LeadActor actor)
    {
        if (_lead is not { } current || !Visible(current, actor)) return LeadChangeResult.NotFound;
        if (expectedVersion is { } expected && expected != current.Version) return LeadChangeResult.VersionMismatch(current);
        if (sourceLeadId == _leadId) return LeadChangeResult.Invalid("sourceLeadId", "A lead cannot be merged into itself.");
        // Read from the row, not the source's grain: the transaction below checks its version, so a change the source's
        // grain commits meanwhile makes this merge fail rather than be lost.
        var source = LeadKeys.IsWellFormed(sourceLeadId) ? await store.LoadAsync(_tenantId, sourceLeadId) : null;
        if (source is null || !Visible(source, actor)) return LeadChangeResult.Invalid("sourceLeadId", $"This tenant has no lead '{Shorten(sourceLeadId)}' you may change.");

        var now = clock.GetUtcNow();
        var next = Merged(current, source) with { UpdatedAt = now, Version = current.Version + 1 };
        var fields = LeadRules.ChangedFields(current, next);
        var takesContact = current.ChannelContactId is null && source.ChannelContactId is not null;
        if (takesContact) next = next with { Channel = source.Channel, ChannelContactId = source.ChannelContactId };

        var details = ImmutableDictionary<string, string>.Empty.Add("sourceLeadId", sourceLeadId).Add("fields", string.Join(',', fields));
        try
        {
            await using var session = await store.BeginAsync(_tenantId);
            var movedActivities = await session.ExecuteAsync("UPDATE lead_activities SET lead_id = @target WHERE tenant_id = @tenant AND lead_id = @source",
                new { target = _leadId, source = sourceLeadId });
            var movedConversations = await session.QueryAsync<string>("UPDATE conversations SET lead_id = @target, updated_at = now() WHERE tenant_id = @tenant AND lead_id = @source RETURNING id",
                new { target = _leadId, source = sourceLeadId });
            // The source goes before the target takes its phone or contact, so the unique indexes see one holder.
            if (await LeadStore.DeleteAsync(session, sourceLeadId, source.Version) is null)
            {
                return LeadChangeResult.Conflict("sourceLeadId", "The source lead changed while merging; read both leads again and retry.");
            }
            if (!await LeadStore.UpdateAsync(session, next, current.Version))
            {
                await ReloadAsync();
                return _lead is { } moved ? LeadChangeResult.VersionMismatch(moved) : LeadChangeResult.NotFound;
            }
            if (takesContact)
            {
                await session.ExecuteAsync("UPDATE leads SET channel = @channel, channel_contact_id = @contact WHERE tenant_id = @tenant AND id = @id",
                    new { id = _leadId, channel = source.Channel is { } channel ? Flexoraa.Channels.ChannelKindNames.Of(channel) : null, contact = source.ChannelContactId });
            }
            var entry = new LeadActivity(0, _leadId, LeadActivityKind.Merged, now, actor.UserId, null,
                details.Add("conversations", movedConversations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var stored = await LeadStore.AppendAsync(session, [entry], actor);
            // Ids and counts only: the audit log outlives an erasure, so it holds no personal data.
            await AuditLogWriter.AppendAsync(session, new AuditLogEntry(MergedAuditAction, actor.UserId, actor.ApiKeyId, "lead", _leadId, null,
                new Dictionary<string, string?>
                {
                    ["sourceLeadId"] = sourceLeadId,
                    ["fields"] = string.Join(',', fields),
                    ["movedActivities"] = movedActivities.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["movedConversations"] = string.Join(',', movedConversations),
                }));
            await session.CommitAsync();
            _lead = next;
            GrainFactory.GetGrain<ILeadGrain>(LeadKeys.GrainKey(_tenantId, sourceLeadId)).Reload().Ignore();
            await PublishAsync(new LeadChanged(_tenantId, now, sourceLeadId, "deleted", null, []));
            await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "merged", next, fields, stored[0]));
            return LeadChangeResult.Changed(next, stored[0]);
        }
        catch (PostgresException e) when (LeadStore.ConflictingField(e) is { } conflicting)
        {
            return LeadChangeResult.Conflict(conflicting, $"Another lead of this tenant already has this {conflicting}.");
        }
    }

    /// <summary>The target as it is, with each empty field filled from the source and the tags of both (the target's first).</summary>
    private static Lead Merged(Lead target, Lead source)
    {
        static string? Fill(string? kept, string? other) => kept ?? other;
        return target with
        {
            FirstName = Fill(target.FirstName, source.FirstName),
            LastName = Fill(target.LastName, source.LastName),
            DisplayName = Fill(target.DisplayName, source.DisplayName),
            Company = Fill(target.Company, source.Company),
            Title = Fill(target.Title, source.Title),
            Email = Fill(target.Email, source.Email),
            Phone = Fill(target.Phone, source.Phone),
            OwnerUserId = Fill(target.OwnerUserId, source.OwnerUserId),
            Tags = [.. target.Tags.Concat(source.Tags).Distinct(StringComparer.OrdinalIgnoreCase).Take(LeadRules.MaxTags)],
            CustomFields = source.CustomFields.SetItems(target.CustomFields),
            Consent = source.Consent.SetItems(target.Consent),
        };
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
