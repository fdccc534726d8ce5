-- What the inbox API reads beyond what ingest writes: tags on conversations (set by the workflow API, filtered here)
-- and an index for the status filter. Numbered 0011 so 0010 stays free for a sibling branch.

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}';
-- `tags @> ARRAY[tag]` is what the list filter asks, and GIN answers containment without scanning the tenant's inbox.
CREATE INDEX IF NOT EXISTS ix_conversations_tags ON conversations USING gin (tags);
-- Filters on status and assignee run inside one tenant's activity order; this keeps the common "my open ones" cheap.
CREATE INDEX IF NOT EXISTS ix_conversations_status_activity ON conversations (tenant_id, status, last_message_at DESC NULLS LAST, id DESC);
