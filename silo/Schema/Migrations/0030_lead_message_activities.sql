-- Conversations feed their leads (issue 13): every inbound and outbound message becomes a 'message' entry of its lead's
-- timeline, written by LeadGrain from the conversation's one-way engagement call. The message's channel id makes the
-- entry idempotent: an event delivered again (a redelivered run, two conversations of one customer that both saw the
-- message) finds its entry there and adds none.
ALTER TABLE lead_activities ADD COLUMN IF NOT EXISTS message_external_id varchar(256) NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_lead_activities_message ON lead_activities (tenant_id, lead_id, message_external_id)
    WHERE message_external_id IS NOT NULL;
