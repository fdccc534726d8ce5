-- Issue 9: API keys act on their owner's authority, and email leaves through a retried outbox.

-- The member whose authority a key carries: its creator, or for a key made by another key, that key's owner. A key
-- acts with at most its owner's current role, and removing the owner revokes it.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS owner_user_id varchar(40) NULL;
WITH RECURSIVE chain (id, owner) AS (
    SELECT k.id, k.created_by FROM api_keys k WHERE k.created_by NOT LIKE 'ak\_%'
    UNION
    SELECT k.id, c.owner FROM api_keys k JOIN chain c ON k.created_by = c.id
)
UPDATE api_keys k SET owner_user_id = chain.owner FROM chain WHERE k.id = chain.id AND k.owner_user_id IS NULL;
CREATE INDEX IF NOT EXISTS ix_api_keys_owner ON api_keys (tenant_id, owner_user_id) WHERE revoked_at IS NULL;

-- A new look-up rather than a changed flexoraa_api_key_by_hash: 0006 re-run would then fail on the changed return type.
CREATE OR REPLACE FUNCTION flexoraa_api_key_with_owner_by_hash(p_hash bytea)
RETURNS TABLE (id varchar, tenant_id varchar, role varchar, name varchar, revoked_at timestamptz, last_used_at timestamptz, owner_user_id varchar)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT k.id, k.tenant_id, k.role, k.name, k.revoked_at, k.last_used_at, k.owner_user_id FROM api_keys k WHERE k.key_hash = p_hash;
$$;

-- The outbox: an email is written in the transaction of the action it belongs to, and a sender delivers it later,
-- retrying with back-off until it goes or runs out of attempts.
ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbound_emails ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS ix_outbound_emails_due ON outbound_emails (next_attempt_at) WHERE sent_at IS NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT EXECUTE ON FUNCTION flexoraa_api_key_with_owner_by_hash(bytea) TO flexoraa_app;
        GRANT SELECT ON outbound_emails TO flexoraa_app;
        GRANT UPDATE (sent_at, last_error, attempts, next_attempt_at) ON outbound_emails TO flexoraa_app;
    END IF;
END $$;
