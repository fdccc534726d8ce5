-- Dead letters that never block ingestion.
-- webhook_dead_letters gains the fingerprint of the Meta app that signed the event, so the webhook can cap how many
-- one app (and one account) may leave per time window: a tenant signing with its own app secret must not be able to
-- fill the table. inbox_dead_letters keeps the inbox writes PostgreSQL refused for good (a data or integrity error),
-- with the reason, so one such write is taken out of the group commit instead of failing it on every retry.

ALTER TABLE webhook_dead_letters ADD COLUMN IF NOT EXISTS app_fingerprint varchar(64) NULL;
CREATE INDEX IF NOT EXISTS ix_webhook_dead_letters_account ON webhook_dead_letters (external_account_id, received_at);
CREATE INDEX IF NOT EXISTS ix_webhook_dead_letters_app ON webhook_dead_letters (app_fingerprint, received_at);

CREATE TABLE IF NOT EXISTS inbox_dead_letters (
    tenant_id   varchar(40)  NOT NULL,
    id          bigint       GENERATED ALWAYS AS IDENTITY,
    write_kind  varchar(64)  NOT NULL,
    sql_state   varchar(5)   NOT NULL,
    reason      text         NOT NULL,
    payload     jsonb        NOT NULL,
    failed_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

ALTER TABLE inbox_dead_letters ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON inbox_dead_letters;
CREATE POLICY tenant_isolation ON inbox_dead_letters
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        -- Counting within the window needs SELECT; the app still cannot change or delete a dead letter.
        GRANT SELECT ON webhook_dead_letters TO flexoraa_app;
        GRANT SELECT, INSERT ON inbox_dead_letters TO flexoraa_app;
    END IF;
END $$;
