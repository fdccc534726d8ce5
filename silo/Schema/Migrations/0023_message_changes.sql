-- Reactions, edits and deletions (issue 12 item 1) change the message they target instead of being rows of their own.
-- reactions: the current reaction per person, {"<by>": {"emoji": "👍" | null, "at": "<time>"}}. A removal keeps its
--   entry with a null emoji (a tombstone), so a reaction older than the removal that arrives after it cannot revive it.
-- edit_history: the versions an edit replaced, oldest first, {"body", "at", "replacedBy" (the edit's event id)}; the
--   event id makes a redelivered edit a no-op.
-- deleted_at: the customer deleted (revoked, unsent) it. Body and media stay for audit and retention; the API hides them.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS reactions jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS edited_at timestamptz NULL;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS edit_history jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS deleted_at timestamptz NULL;

-- A change whose message has not arrived yet (Meta does not order webhooks). The message's own insert applies and
-- removes them, in arrival order (seq), in the same commit.
CREATE TABLE IF NOT EXISTS pending_message_changes (
    tenant_id          varchar(40)  NOT NULL,
    channel            varchar(16)  NOT NULL,
    event_id           varchar(256) NOT NULL,
    seq                bigserial    NOT NULL,
    conversation_id    varchar(40)  NOT NULL,
    target_external_id varchar(256) NOT NULL,
    kind               varchar(16)  NOT NULL,  -- reaction | edit | deletion
    by_id              varchar(128) NOT NULL,
    emoji              text         NULL,
    body               text         NULL,
    occurred_at        timestamptz  NOT NULL,
    received_at        timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel, event_id)
);
CREATE INDEX IF NOT EXISTS ix_pending_message_changes_target ON pending_message_changes (tenant_id, channel, target_external_id, seq);
CREATE INDEX IF NOT EXISTS ix_pending_message_changes_conversation ON pending_message_changes (tenant_id, conversation_id);

ALTER TABLE pending_message_changes ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON pending_message_changes;
CREATE POLICY tenant_isolation ON pending_message_changes
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON pending_message_changes TO flexoraa_app;
        GRANT USAGE ON SEQUENCE pending_message_changes_seq_seq TO flexoraa_app;
    END IF;
END $$;

-- Applies one change to its message, or keeps it pending when the message is not stored yet. Runs as the caller
-- (row-level security applies) and every statement names the tenant. One function, because the rules are shared by the
-- change's own write and by the message insert that finds it pending:
--   a reaction replaces the person's entry unless that entry is newer (same time: the later event wins, so a react and an
--   unreact with one timestamp end unreacted); an edit keeps the replaced version, unless it is older than the current
--   text, already applied, or the message is deleted; a deletion keeps its first time.
-- Answers the message's state after the change (no row while pending); changed is false when nothing moved.
CREATE OR REPLACE FUNCTION apply_message_change(
    p_tenant varchar, p_channel varchar, p_conversation varchar, p_target varchar, p_event varchar, p_kind varchar,
    p_by varchar, p_emoji text, p_body text, p_at timestamptz)
RETURNS TABLE (message_id bigint, external_id varchar, body text, attachments jsonb, reactions jsonb, edited_at timestamptz,
               edit_history jsonb, deleted_at timestamptz, changed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    m messages%ROWTYPE;
    moved boolean := true;
BEGIN
    SELECT * INTO m FROM messages x WHERE x.tenant_id = p_tenant AND x.channel = p_channel AND x.external_id = p_target FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO pending_message_changes (tenant_id, channel, event_id, conversation_id, target_external_id, kind, by_id, emoji, body, occurred_at)
        VALUES (p_tenant, p_channel, p_event, p_conversation, p_target, p_kind, p_by, nullif(p_emoji, ''), p_body, p_at)
        ON CONFLICT DO NOTHING;
        RETURN;
    END IF;

    IF p_kind = 'reaction' THEN
        IF (m.reactions -> p_by ->> 'at') IS NOT NULL AND (m.reactions -> p_by ->> 'at')::timestamptz > p_at THEN
            moved := false;
        ELSE
            UPDATE messages x SET reactions = x.reactions || jsonb_build_object(p_by, jsonb_build_object('emoji', nullif(p_emoji, ''), 'at', p_at))
            WHERE x.tenant_id = p_tenant AND x.id = m.id RETURNING * INTO m;
        END IF;
    ELSIF p_kind = 'edit' THEN
        IF m.deleted_at IS NOT NULL OR (m.edited_at IS NOT NULL AND m.edited_at > p_at)
           OR m.edit_history @> jsonb_build_array(jsonb_build_object('replacedBy', p_event)) THEN
            moved := false;
        ELSE
            UPDATE messages x SET body = p_body, edited_at = p_at,
                edit_history = x.edit_history || jsonb_build_array(jsonb_build_object('body', x.body, 'at', COALESCE(x.edited_at, x.occurred_at), 'replacedBy', p_event))
            WHERE x.tenant_id = p_tenant AND x.id = m.id RETURNING * INTO m;
        END IF;
    ELSIF p_kind = 'deletion' THEN
        IF m.deleted_at IS NOT NULL THEN
            moved := false;
        ELSE
            UPDATE messages x SET deleted_at = p_at WHERE x.tenant_id = p_tenant AND x.id = m.id RETURNING * INTO m;
        END IF;
    ELSE
        RAISE EXCEPTION 'unknown message change kind %', p_kind;
    END IF;

    RETURN QUERY SELECT m.id, m.external_id, m.body, m.attachments, m.reactions, m.edited_at, m.edit_history, m.deleted_at, moved;
END $$;

-- Applies the changes that waited for this message, in arrival order, and removes them. Answers the message's state
-- after them when at least one changed it.
CREATE OR REPLACE FUNCTION apply_pending_message_changes(p_tenant varchar, p_channel varchar, p_target varchar)
RETURNS TABLE (message_id bigint, external_id varchar, body text, attachments jsonb, reactions jsonb, edited_at timestamptz,
               edit_history jsonb, deleted_at timestamptz, changed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    c pending_message_changes%ROWTYPE;
    last record;
    any_moved boolean := false;
BEGIN
    FOR c IN SELECT * FROM pending_message_changes p
             WHERE p.tenant_id = p_tenant AND p.channel = p_channel AND p.target_external_id = p_target ORDER BY p.seq LOOP
        SELECT * INTO last FROM apply_message_change(c.tenant_id, c.channel, c.conversation_id, c.target_external_id, c.event_id, c.kind,
                                                     c.by_id, c.emoji, c.body, c.occurred_at);
        any_moved := any_moved OR COALESCE(last.changed, false);
    END LOOP;
    DELETE FROM pending_message_changes p WHERE p.tenant_id = p_tenant AND p.channel = p_channel AND p.target_external_id = p_target;
    IF any_moved THEN
        RETURN QUERY SELECT last.message_id, last.external_id, last.body, last.attachments, last.reactions, last.edited_at, last.edit_history,
                            last.deleted_at, true;
    END IF;
END $$;
