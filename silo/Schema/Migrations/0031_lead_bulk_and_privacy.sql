-- LeadOS custom fields, bulk actions and privacy (issue 13, items 1, 4 and 5).

-- A tenant's custom lead field definitions, state of record of its LeadFieldsGrain. A lead keeps its values in
-- leads.custom_fields by key, as text in the canonical spelling of the field's type.
CREATE TABLE IF NOT EXISTS lead_fields (
    tenant_id  varchar(40)  NOT NULL,
    key        varchar(64)  NOT NULL,
    label      varchar(80)  NOT NULL,
    type       varchar(16)  NOT NULL,              -- text | number | date | boolean | singleSelect
    options    jsonb        NOT NULL DEFAULT '[]'::jsonb,
    position   integer      NOT NULL DEFAULT 0,
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

-- The list's field.<key>=value filter is a containment test (custom_fields @> '{"key": "value"}').
CREATE INDEX IF NOT EXISTS ix_leads_custom_fields ON leads USING gin (custom_fields jsonb_path_ops);

-- One bulk action on leads, the state of record of its LeadBulkActionGrain. The leads it acts on are fixed when it is
-- asked for (lead_bulk_action_items), so a filter means the leads the user saw, and a resumed run continues after
-- committed_through, the last item of the last committed batch.
CREATE TABLE IF NOT EXISTS lead_bulk_actions (
    tenant_id          varchar(40)   NOT NULL,
    id                 varchar(40)   NOT NULL,
    created_by_user_id varchar(40)   NULL,
    api_key_id         varchar(40)   NULL,
    -- The SDR rule of the caller: set, the action only touches leads this user owns or nobody owns when it writes.
    own_work_of        varchar(40)   NULL,
    action             varchar(16)   NOT NULL,      -- changeStage | changeOwner | addTags | removeTags | delete | export
    parameters         jsonb         NOT NULL DEFAULT '{}'::jsonb,
    status             varchar(16)   NOT NULL,      -- queued | running | completed | failed | cancelled
    total              integer       NOT NULL,
    processed          integer       NOT NULL DEFAULT 0,
    changed            integer       NOT NULL DEFAULT 0,
    skipped            integer       NOT NULL DEFAULT 0,
    committed_through  integer       NOT NULL DEFAULT 0,
    cancel_requested   boolean       NOT NULL DEFAULT false,
    blob_key           varchar(200)  NULL,          -- export: the CSV file, once written
    error              varchar(1000) NULL,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    started_at         timestamptz   NULL,
    finished_at        timestamptz   NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ix_lead_bulk_actions_recent ON lead_bulk_actions (tenant_id, created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS lead_bulk_action_items (
    tenant_id varchar(40) NOT NULL,
    action_id varchar(40) NOT NULL,
    seq       integer     NOT NULL,
    lead_id   varchar(40) NOT NULL,
    PRIMARY KEY (tenant_id, action_id, seq),
    FOREIGN KEY (tenant_id, action_id) REFERENCES lead_bulk_actions (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['lead_fields', 'lead_bulk_actions', 'lead_bulk_action_items'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON lead_fields, lead_bulk_actions, lead_bulk_action_items TO flexoraa_app;
    END IF;
END $$;
