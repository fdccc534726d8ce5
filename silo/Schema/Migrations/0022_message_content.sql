-- Typed message content (issue 12): what a location, contact card, cart, Flow reply, reaction, referral or unsupported
-- message holds, as the API shows it (camelCase JSON of Flexoraa.Channels.MessageContent). Null for plain text and
-- media, and for rows written before this migration (their raw payload is still in messages.raw).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS content jsonb NULL;

-- Full-text search covers the content too, through the plain-text summary every content carries ("summary"), so a
-- location is found by its name and address, a cart by its product ids, an ad reply by the ad's headline.
-- PostgreSQL 15 cannot change a generated column's expression in place, so the column (and the GIN index on it) is
-- rebuilt once; the check keeps the script idempotent when it is re-run.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'messages'::regclass AND a.attname = 'search' AND pg_get_expr(d.adbin, d.adrelid) LIKE '%summary%'
    ) THEN
        ALTER TABLE messages DROP COLUMN IF EXISTS search;
        ALTER TABLE messages ADD COLUMN search tsvector
            GENERATED ALWAYS AS (to_tsvector('simple', coalesce(body, '') || ' ' || coalesce(content->>'summary', ''))) STORED;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS ix_messages_search ON messages USING gin (search);
