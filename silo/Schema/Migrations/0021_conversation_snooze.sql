-- The conversations row becomes the workflow's state of record (ConversationStore): it already held status, assignee and
-- tags; the end of a snooze joins them, so that a change and its audit entries commit in one transaction. Rows snoozed
-- before this migration get their end from the grain's earlier state on activation.

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS snooze_until timestamptz NULL;
