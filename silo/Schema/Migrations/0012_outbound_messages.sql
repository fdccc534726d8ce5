-- Replies sent from Flexoraa (agents and API clients). The message itself is a `messages` row (direction 'outbound',
-- external_id a placeholder 'out_…' until Meta names it); this row is the send's state, committed with the message
-- before Meta is called:
--   * state: queued (waiting for an attempt, maybe a retry) | sending (an attempt is in flight) | sent (Meta accepted it;
--     external_id holds the wamid / mid) | failed (error_code / error_title say why). A row found 'sending' by a grain
--     that did not start that attempt is marked failed ("interrupted"), never sent again.
--   * applied: the conversation has taken the outcome into `messages` (external id) and told the tenant's users.
--   * idempotency_key is unique per tenant, so two concurrent requests with one key can never both create a send.

CREATE TABLE IF NOT EXISTS outbound_messages (
    tenant_id           varchar(40)  NOT NULL,
    message_id          bigint       NOT NULL,
    conversation_id     varchar(40)  NOT NULL,
    channel             varchar(16)  NOT NULL,
    channel_account_id  varchar(40)  NOT NULL,
    contact_id          varchar(128) NOT NULL,
    placeholder_id      varchar(64)  NOT NULL,
    kind                varchar(16)  NOT NULL CHECK (kind IN ('text', 'template', 'media')),
    payload             jsonb        NOT NULL,
    messaging_tag       varchar(32)  NULL,          -- Messenger / Instagram: HUMAN_AGENT between 24 h and 7 days
    sandbox             boolean      NOT NULL DEFAULT false,
    idempotency_key     varchar(255) NULL,
    request_hash        varchar(64)  NOT NULL,
    author_user_id      varchar(40)  NULL,
    author_api_key_id   varchar(40)  NULL,
    state               varchar(16)  NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts            integer      NOT NULL DEFAULT 0,
    attempt_started_at  timestamptz  NULL,
    next_attempt_at     timestamptz  NULL,
    last_error          varchar(500) NULL,
    external_id         varchar(256) NULL,
    error_code          integer      NULL,
    error_title         varchar(300) NULL,
    error_message       text         NULL,
    applied             boolean      NOT NULL DEFAULT false,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    finished_at         timestamptz  NULL,
    updated_at          timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_outbound_messages_idempotency
    ON outbound_messages (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_outbound_messages_external ON outbound_messages (tenant_id, channel, external_id) WHERE external_id IS NOT NULL;

-- What the sandbox sender "sent" instead of calling Meta (local development without usable credentials).
CREATE TABLE IF NOT EXISTS sandbox_sends (
    tenant_id           varchar(40)  NOT NULL,
    id                  bigint       GENERATED ALWAYS AS IDENTITY,
    message_id          bigint       NOT NULL,
    channel             varchar(16)  NOT NULL,
    channel_account_id  varchar(40)  NOT NULL,
    recipient           varchar(128) NOT NULL,
    external_id         varchar(64)  NOT NULL,
    request             jsonb        NOT NULL,
    sent_at             timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['outbound_messages', 'sandbox_sends'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON outbound_messages, sandbox_sends TO flexoraa_app;
    END IF;
END $$;
