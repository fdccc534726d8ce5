-- LeadOS foundation (issue 13): the leads row becomes the read model of LeadGrain, which writes it, and the lead's
-- timeline in the same transaction. Rows that ContactLeadLinks wrote before this migration keep working: every new
-- column is nullable or has a default, and version 1 is their first ETag.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS first_name    varchar(100) NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS last_name     varchar(100) NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS company       varchar(200) NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS title         varchar(200) NULL;
-- Lower-cased by the grain, so matching (dedup, search) needs no lower() at query time.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS email         varchar(254) NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS tags          text[]       NOT NULL DEFAULT '{}';
ALTER TABLE leads ADD COLUMN IF NOT EXISTS owner_user_id varchar(40)  NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS pipeline_id   varchar(40)  NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS stage_id      varchar(40)  NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS custom_fields jsonb        NOT NULL DEFAULT '{}'::jsonb;
-- Per channel: {"whatsapp": "granted", "email": "optedOut"}; a channel that is absent was never asked.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS consent       jsonb        NOT NULL DEFAULT '{}'::jsonb;
-- Money in the smallest currency unit (paise), with its ISO 4217 currency.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS won_value     bigint       NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS won_currency  varchar(3)   NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS lost_reason   varchar(500) NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS updated_at    timestamptz  NOT NULL DEFAULT now();
-- The ETag: every committed change of the profile or stage adds one.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS version       bigint       NOT NULL DEFAULT 1;
-- What the list's text query q searches: names, company, email and phone, lower-cased. Only || and lower(), so the
-- expression is immutable, as a generated column requires (concat_ws is not).
ALTER TABLE leads ADD COLUMN IF NOT EXISTS search_text   text GENERATED ALWAYS AS (lower(
    coalesce(display_name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
    coalesce(company, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone_e164, ''))) STORED;

-- The list's filters and sorts, each with id as the keyset's tie-breaker.
CREATE INDEX IF NOT EXISTS ix_leads_created ON leads (tenant_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_leads_updated ON leads (tenant_id, updated_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_leads_name ON leads (tenant_id, lower(coalesce(display_name, '')), id);
CREATE INDEX IF NOT EXISTS ix_leads_stage ON leads (tenant_id, stage_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_leads_owner ON leads (tenant_id, owner_user_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_leads_source ON leads (tenant_id, source);
CREATE INDEX IF NOT EXISTS ix_leads_email ON leads (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_leads_tags ON leads USING gin (tags);

-- Substring search (q) is a trigram index where pg_trgm can be had; a server without it still answers, by scan.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available: the lead text query runs without an index';
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX IF NOT EXISTS ix_leads_search ON leads USING gin (search_text gin_trgm_ops)';
    END IF;
END $$;

-- The lead's timeline: created, stage and field changes (written by LeadGrain with the change), and the notes, calls and
-- meetings logged through the API. Deleting the lead deletes its timeline.
CREATE TABLE IF NOT EXISTS lead_activities (
    tenant_id       varchar(40)  NOT NULL,
    id              bigint       GENERATED ALWAYS AS IDENTITY,
    lead_id         varchar(40)  NOT NULL,
    kind            varchar(24)  NOT NULL,  -- created | stageChanged | fieldsChanged | note | call | meeting
    actor_user_id   varchar(40)  NULL,
    api_key_id      varchar(40)  NULL,
    body            text         NULL,
    details         jsonb        NOT NULL DEFAULT '{}'::jsonb,
    conversation_id varchar(40)  NULL,
    occurred_at     timestamptz  NOT NULL,
    recorded_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_lead_activities_timeline ON lead_activities (tenant_id, lead_id, occurred_at DESC, id DESC);

-- A tenant's pipelines, state of record of its PipelinesGrain. Stages are one JSON array in display order:
-- [{"id", "name", "kind": "open" | "won" | "lost"}]; they are always read and written together.
CREATE TABLE IF NOT EXISTS lead_pipelines (
    tenant_id  varchar(40)  NOT NULL,
    id         varchar(40)  NOT NULL,
    name       varchar(80)  NOT NULL,
    position   integer      NOT NULL,
    stages     jsonb        NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['lead_activities', 'lead_pipelines'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON lead_activities, lead_pipelines TO flexoraa_app;
    END IF;
END $$;
