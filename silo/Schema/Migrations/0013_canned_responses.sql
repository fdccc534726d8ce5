-- Canned responses: a tenant's saved replies, inserted in the composer by typing "/shortcut".
-- Shortcuts are stored lower-case and compared byte-wise (COLLATE "C"), so the unique index is the case-insensitive
-- uniqueness rule (it holds under concurrent creates) and list order matches the keyset cursor's comparison.

CREATE TABLE IF NOT EXISTS canned_responses (
    tenant_id   varchar(40)  NOT NULL,
    id          varchar(40)  NOT NULL,
    shortcut    varchar(32)  COLLATE "C" NOT NULL CHECK (shortcut ~ '^[a-z0-9_-]{1,32}$'),
    title       varchar(120) NULL,
    content     text         NOT NULL CHECK (char_length(content) BETWEEN 1 AND 4096),
    created_by  varchar(40)  NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_by  varchar(40)  NOT NULL,
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_canned_responses_shortcut ON canned_responses (tenant_id, shortcut);

ALTER TABLE canned_responses ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON canned_responses;
CREATE POLICY tenant_isolation ON canned_responses
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON canned_responses TO flexoraa_app;
    END IF;
END $$;
