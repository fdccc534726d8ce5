-- Issue 12: message search stems words in the tenant's language, the conversation preview follows edits and deletions of
-- its last message, and attachments from before issue 12 get the kind names newer rows have.

-- 1. Each row keeps the text search configuration it was indexed with (the tenant's search language when it was
-- written, SearchLanguages in grain-interfaces), so "chairs" is stored as 'chair' for an English tenant and a later change
-- of language leaves the row as it was indexed; search queries each row in its own configuration. Existing rows were
-- indexed with simple, which the constant default says without rewriting the table.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_config regconfig NOT NULL DEFAULT 'simple';

-- The search column stems with the row's configuration. PostgreSQL 15 cannot change a generated column's expression in
-- place, so the column is rebuilt once (one table rewrite) and its GIN index with it; the check keeps the script
-- idempotent when it is re-run. Re-running 0022 leaves this column alone: its own check looks for the summary, which
-- this expression still indexes.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'messages'::regclass AND a.attname = 'search' AND pg_get_expr(d.adbin, d.adrelid) LIKE '%search_config%'
    ) THEN
        ALTER TABLE messages DROP COLUMN IF EXISTS search;
        ALTER TABLE messages ADD COLUMN search tsvector
            GENERATED ALWAYS AS (to_tsvector(search_config, coalesce(body, '') || ' ' || coalesce(content->>'summary', ''))) STORED;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS ix_messages_search ON messages USING gin (search);

-- ORs the queries of every configuration a tenant's rows may be indexed with into one, which the GIN index answers; each
-- hit is then checked against the query in its own row's configuration (see ConversationInbox).
CREATE OR REPLACE AGGREGATE tsquery_any(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- 2. The conversation list's line for a message after an edit or deletion: the rule of MessagePreview (grains), which
-- counts UTF-16 code units as C# strings do, so a character beyond U+FFFF counts two; "[deleted]" for a deleted message.
CREATE OR REPLACE FUNCTION message_preview(p_body text, p_kind varchar, p_deleted boolean)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    units int := 0;
    i int := 0;
BEGIN
    IF p_deleted THEN RETURN '[deleted]'; END IF;
    IF p_body IS NULL OR p_body = '' THEN RETURN '[' || lower(p_kind) || ']'; END IF;
    IF char_length(p_body) + char_length(regexp_replace(p_body, '[^\U00010000-\U0010FFFF]', '', 'g')) <= 160 THEN RETURN p_body; END IF;
    -- Whole characters up to 159 units, then the ellipsis: never half of a surrogate pair.
    LOOP
        i := i + 1;
        units := units + CASE WHEN ascii(substr(p_body, i, 1)) > 65535 THEN 2 ELSE 1 END;
        EXIT WHEN units > 159;
    END LOOP;
    RETURN left(p_body, i - 1) || '…';
END $$;

-- After a change to message p_message_id: when it is its conversation's last message (notes do not count, as they do
-- not move the preview), the conversation's preview shows the message as it is now. Answers the new preview when the
-- row changed, else null. Runs as the caller (row-level security applies) and names the tenant in every condition.
CREATE OR REPLACE FUNCTION follow_last_message_preview(p_tenant varchar, p_message_id bigint)
RETURNS text LANGUAGE sql AS $$
    UPDATE conversations c SET last_message_preview = message_preview(m.body, m.kind, m.deleted_at IS NOT NULL), updated_at = now()
    FROM messages m
    WHERE m.tenant_id = p_tenant AND m.id = p_message_id AND m.direction <> 'note'
      AND c.tenant_id = p_tenant AND c.id = m.conversation_id
      AND c.last_message_preview IS DISTINCT FROM message_preview(m.body, m.kind, m.deleted_at IS NOT NULL)
      AND NOT EXISTS (
          SELECT 1 FROM messages l
          WHERE l.tenant_id = p_tenant AND l.conversation_id = m.conversation_id AND l.direction <> 'note'
            AND (l.occurred_at, l.id) > (m.occurred_at, m.id))
    RETURNING c.last_message_preview
$$;

-- 3. Attachments stored before issue 12 have their kind as MessageKind's number ({"kind": 2}); newer rows have the wire
-- name ({"kind": "image"}), the camelCase JSON name of MessageKind (grain-interfaces/Channels/MessageKind.cs, by
-- number: index + 1 below). Rewritten here so SQL consumers see one shape; a function, so that rows an older silo writes
-- during a rolling upgrade can be rewritten by running it again (it touches only rows that still have a number).
CREATE OR REPLACE FUNCTION messages_attachment_kinds_to_names()
RETURNS bigint LANGUAGE sql AS $$
    WITH fixed AS (
        UPDATE messages m SET attachments = (
            SELECT jsonb_agg(CASE WHEN jsonb_typeof(e.a -> 'kind') = 'number' AND (e.a ->> 'kind') ~ '^[0-9]{1,2}$' AND (e.a ->> 'kind')::int <= 22
                                  THEN jsonb_set(e.a, '{kind}', to_jsonb((ARRAY[
                                      'unsupported', 'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts',
                                      'buttonReply', 'listReply', 'button', 'reaction', 'order', 'system', 'postback', 'storyReply',
                                      'storyMention', 'fallback', 'share', 'reel', 'template', 'flowReply'])[(e.a ->> 'kind')::int + 1]))
                                  ELSE e.a END ORDER BY e.ord)
            FROM jsonb_array_elements(m.attachments) WITH ORDINALITY AS e (a, ord))
        WHERE jsonb_typeof(m.attachments) = 'array' AND jsonb_path_exists(m.attachments, '$[*].kind ? (@.type() == "number")')
        RETURNING 1
    )
    SELECT count(*) FROM fixed
$$;
SELECT messages_attachment_kinds_to_names();
