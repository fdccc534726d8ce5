-- The inbox's read models: conversations, messages (with full-text search), message delivery statuses, the leads that
-- contacts link to, and webhook events no tenant owns. ConversationGrain writes them; the API reads them.
-- Numbered 0009 so the channel accounts (0007) and other identity additions (0008) can land before it.

CREATE TABLE IF NOT EXISTS conversations (
    tenant_id            varchar(40)  NOT NULL,
    id                   varchar(40)  NOT NULL,
    channel              varchar(16)  NOT NULL,
    channel_account_id   varchar(40)  NOT NULL,
    contact_id           varchar(128) NOT NULL,
    contact_name         varchar(200) NULL,
    lead_id              varchar(40)  NULL,
    status               varchar(16)  NOT NULL DEFAULT 'open',
    assignee_user_id     varchar(40)  NULL,
    unread_count         integer      NOT NULL DEFAULT 0,
    last_message_at      timestamptz  NULL,
    last_message_preview varchar(200) NULL,
    last_inbound_at      timestamptz  NULL,
    created_at           timestamptz  NOT NULL DEFAULT now(),
    updated_at           timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ix_conversations_activity ON conversations (tenant_id, last_message_at DESC NULLS LAST, id DESC);

CREATE TABLE IF NOT EXISTS messages (
    tenant_id            varchar(40)  NOT NULL,
    id                   bigint       GENERATED ALWAYS AS IDENTITY,
    conversation_id      varchar(40)  NOT NULL,
    channel              varchar(16)  NOT NULL,
    channel_account_id   varchar(40)  NOT NULL,
    contact_id           varchar(128) NOT NULL,
    external_id          varchar(256) NOT NULL,
    direction            varchar(16)  NOT NULL,  -- inbound | echo | outbound
    kind                 varchar(24)  NOT NULL,
    body                 text         NULL,
    reply_to_external_id varchar(256) NULL,
    attachments          jsonb        NOT NULL DEFAULT '[]'::jsonb,
    raw                  jsonb        NOT NULL,
    occurred_at          timestamptz  NOT NULL,
    received_at          timestamptz  NOT NULL DEFAULT now(),
    search               tsvector     GENERATED ALWAYS AS (to_tsvector('simple', coalesce(body, ''))) STORED,
    PRIMARY KEY (tenant_id, id)
);
-- The dedup guarantee: one row per channel message id, however often Meta redelivers it.
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_external ON messages (tenant_id, channel, external_id);
CREATE INDEX IF NOT EXISTS ix_messages_conversation ON messages (tenant_id, conversation_id, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_messages_search ON messages USING gin (search);

-- Kept apart from messages so a status may arrive before its message (Meta does not order them) and still apply.
CREATE TABLE IF NOT EXISTS message_statuses (
    tenant_id      varchar(40)  NOT NULL,
    channel        varchar(16)  NOT NULL,
    external_id    varchar(256) NOT NULL,
    status         varchar(16)  NOT NULL,
    status_rank    smallint     NOT NULL,    -- sent 1 < delivered 2 < read 3 < failed 4: a status only moves up
    error_code     integer      NULL,
    error_title    varchar(300) NULL,
    error_message  text         NULL,
    conversation_category varchar(64) NULL,
    pricing_category varchar(64) NULL,
    billable       boolean      NULL,
    occurred_at    timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel, external_id)
);

CREATE TABLE IF NOT EXISTS leads (
    tenant_id          varchar(40)  NOT NULL,
    id                 varchar(40)  NOT NULL,
    display_name       varchar(200) NULL,
    phone_e164         varchar(20)  NULL,
    channel            varchar(16)  NULL,
    channel_contact_id varchar(128) NULL,
    source             varchar(32)  NOT NULL,
    created_at         timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_leads_phone ON leads (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_leads_channel_contact ON leads (tenant_id, channel, channel_contact_id) WHERE channel_contact_id IS NOT NULL;

-- Webhook events for accounts no tenant owns (or signed by another tenant's Meta app). Answered 200 so Meta stops
-- retrying, kept here with the reason so an operator can replay them once the account is connected.
CREATE TABLE IF NOT EXISTS webhook_dead_letters (
    id                  bigserial    PRIMARY KEY,
    channel             varchar(16)  NOT NULL,
    external_account_id varchar(128) NULL,
    reason              varchar(200) NOT NULL,
    payload             jsonb        NOT NULL,
    received_at         timestamptz  NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['conversations', 'messages', 'message_statuses', 'leads'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON conversations, messages, message_statuses, leads TO flexoraa_app;
        GRANT INSERT ON webhook_dead_letters TO flexoraa_app;
        GRANT USAGE ON SEQUENCE webhook_dead_letters_id_seq TO flexoraa_app;
    END IF;
END $$;
