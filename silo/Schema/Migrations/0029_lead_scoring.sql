-- LeadOS scoring (issue 13): LeadGrain computes the score in memory on every change and event and writes it with the
-- row, so the list can filter by score and grade and sort by score. score_events holds the engagement events the
-- score decays from ([{"kind", "occurredAt", "reference"}], oldest first, bounded by the grain). A row scored under
-- older rules than the tenant's (score_rules_version below scoring_rules.version, 0 for never) rescores lazily: on
-- its grain's next activation, or when the rules grain's background pass reaches it. Imported rows start at 0.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS score               smallint    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS grade               char(1)     NULL;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS fit_score           smallint    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS engagement_score    smallint    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS score_rules_version bigint      NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS score_events        jsonb       NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE leads ADD COLUMN IF NOT EXISTS scored_at           timestamptz NULL;

-- Sort by score (and filter a score range) with id as the keyset's tie-breaker; grade with score inside it.
CREATE INDEX IF NOT EXISTS ix_leads_score ON leads (tenant_id, score DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_leads_grade ON leads (tenant_id, grade, score DESC, id DESC);
-- The rescoring pass's page: the tenant's leads under older rules, by id.
CREATE INDEX IF NOT EXISTS ix_leads_rescore ON leads (tenant_id, score_rules_version, id);

-- A tenant's scoring rules, state of record of its ScoringRulesGrain: the rules as one JSON document (always read and
-- written whole), their version, and where the SDR rotation of the threshold automations stands.
CREATE TABLE IF NOT EXISTS scoring_rules (
    tenant_id    varchar(40)  NOT NULL,
    version      bigint       NOT NULL,
    rules        jsonb        NOT NULL,
    sdr_rotation bigint       NOT NULL DEFAULT 0,
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

DO $$
BEGIN
    ALTER TABLE scoring_rules ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_isolation ON scoring_rules;
    CREATE POLICY tenant_isolation ON scoring_rules
        USING (tenant_id = current_setting('app.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON scoring_rules TO flexoraa_app;
    END IF;
END $$;
