-- Lead imports (issue 13): one row per uploaded file, the state of record of its LeadImportGrain. The counters and
-- committed_through_row move in the same transaction as the leads each batch writes, so after a crash the job resumes
-- after the last committed batch and the counters say exactly what was applied.
CREATE TABLE IF NOT EXISTS lead_imports (
    tenant_id             varchar(40)  NOT NULL,
    id                    varchar(40)  NOT NULL,
    created_by_user_id    varchar(40)  NULL,
    file_name             varchar(255) NULL,
    blob_key              varchar(200) NOT NULL,
    file_bytes            bigint       NOT NULL,
    encoding              varchar(16)  NOT NULL,
    delimiter             varchar(4)   NOT NULL,
    headers               jsonb        NOT NULL,
    mapping               jsonb        NOT NULL,            -- [{"index", "header", "field", "automatic"}]
    duplicate_policy      varchar(16)  NOT NULL,            -- skip | fillEmpty | overwrite | create
    default_region        varchar(2)   NULL,
    status                varchar(16)  NOT NULL,            -- queued | running | completed | failed | cancelled
    total_rows            integer      NOT NULL,
    rows_read             integer      NOT NULL DEFAULT 0,
    created_count         integer      NOT NULL DEFAULT 0,
    updated_count         integer      NOT NULL DEFAULT 0,
    skipped_count         integer      NOT NULL DEFAULT 0,
    failed_count          integer      NOT NULL DEFAULT 0,
    -- The spreadsheet row number of the last row of the last committed batch (1 = only the header).
    committed_through_row integer      NOT NULL DEFAULT 1,
    cancel_requested      boolean      NOT NULL DEFAULT false,
    error                 varchar(1000) NULL,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    started_at            timestamptz  NULL,
    finished_at           timestamptz  NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ix_lead_imports_recent ON lead_imports (tenant_id, created_at DESC, id DESC);

-- What kept rows out (or what a row repeated), for the downloadable error report; deleted with its import.
CREATE TABLE IF NOT EXISTS lead_import_problems (
    tenant_id   varchar(40)  NOT NULL,
    import_id   varchar(40)  NOT NULL,
    id          bigint       GENERATED ALWAYS AS IDENTITY,
    row_number  integer      NOT NULL,
    column_name varchar(200) NULL,
    value       text         NULL,
    problem     varchar(500) NOT NULL,
    PRIMARY KEY (tenant_id, import_id, id),
    FOREIGN KEY (tenant_id, import_id) REFERENCES lead_imports (tenant_id, id) ON DELETE CASCADE
);

-- Which import wrote a lead: with the import's own rows it makes a re-run of the same file find its leads again.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS import_id varchar(40) NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['lead_imports', 'lead_import_problems'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON lead_imports, lead_import_problems TO flexoraa_app;
    END IF;
END $$;
