-- Identity, tenancy and access control: users, memberships (a read model of TenantGrain), refresh tokens,
-- API keys, invitations, the audit log and the email outbox.
--
-- Isolation model:
--   * The application reads and writes these tables as flexoraa_app, a role that cannot bypass row-level security.
--   * Every table with a tenant_id has RLS keyed on the transaction setting app.tenant_id; without it a query sees nothing.
--   * The few look-ups that must happen before the tenant is known (a refresh token, an API key, an invitation token,
--     a user's memberships) go through SECURITY DEFINER functions below, each returning only what that step needs.
--   * users holds people, not tenant data, so it has no tenant_id and no RLS.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        CREATE ROLE flexoraa_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION
    WHEN unique_violation OR duplicate_object THEN
        NULL; -- another database of the same server created it at the same moment: roles are server-wide
    WHEN insufficient_privilege THEN
    -- A managed database may not let the owner create roles; then ConnectionStrings:PostgresApp must name one.
    RAISE NOTICE 'cannot create role flexoraa_app: %', SQLERRM;
END $$;

CREATE TABLE IF NOT EXISTS users (
    id               varchar(40)  PRIMARY KEY,
    email            varchar(320) NOT NULL,
    email_normalized varchar(320) NOT NULL UNIQUE,
    display_name     varchar(200) NOT NULL,
    password_hash    text         NULL,          -- NULL for accounts that only sign in with Google
    google_subject   varchar(255) NULL UNIQUE,
    failed_logins    integer      NOT NULL DEFAULT 0,
    locked_until     timestamptz  NULL,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);

-- Mirrors TenantGrain's members (the grain is the source of truth), so it has no foreign key to users.
CREATE TABLE IF NOT EXISTS tenant_members (
    tenant_id   varchar(40)  NOT NULL,
    user_id     varchar(40)  NOT NULL,
    role        varchar(16)  NOT NULL CHECK (role IN ('owner', 'admin', 'sdr', 'member')),
    email       varchar(320) NOT NULL,
    display_name varchar(200) NOT NULL,
    joined_at   timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX IF NOT EXISTS ix_tenant_members_user ON tenant_members (user_id);

CREATE TABLE IF NOT EXISTS refresh_tokens (
    id            varchar(40)  PRIMARY KEY,
    family_id     varchar(40)  NOT NULL,
    tenant_id     varchar(40)  NOT NULL,
    user_id       varchar(40)  NOT NULL REFERENCES users(id),
    token_hash    bytea        NOT NULL UNIQUE,  -- SHA-256 of the opaque token; the token itself is never stored
    created_at    timestamptz  NOT NULL DEFAULT now(),
    expires_at    timestamptz  NOT NULL,
    rotated_at    timestamptz  NULL,             -- set when it was exchanged for its successor
    revoked_at    timestamptz  NULL,
    revoke_reason varchar(64)  NULL,
    created_ip    varchar(64)  NULL
);
CREATE INDEX IF NOT EXISTS ix_refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE IF NOT EXISTS api_keys (
    id           varchar(40)  PRIMARY KEY,
    tenant_id    varchar(40)  NOT NULL,
    name         varchar(120) NOT NULL,
    role         varchar(16)  NOT NULL CHECK (role IN ('owner', 'admin', 'sdr', 'member')),
    prefix       varchar(16)  NOT NULL,           -- shown in lists so people can tell keys apart
    key_hash     bytea        NOT NULL UNIQUE,
    created_by   varchar(40)  NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    last_used_at timestamptz  NULL,
    revoked_at   timestamptz  NULL
);
CREATE INDEX IF NOT EXISTS ix_api_keys_tenant ON api_keys (tenant_id, created_at DESC);

CREATE TABLE IF NOT EXISTS invitations (
    id          varchar(40)  PRIMARY KEY,
    tenant_id   varchar(40)  NOT NULL,
    email       varchar(320) NOT NULL,
    role        varchar(16)  NOT NULL CHECK (role IN ('owner', 'admin', 'sdr', 'member')),
    token_hash  bytea        NOT NULL UNIQUE,
    invited_by  varchar(40)  NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    expires_at  timestamptz  NOT NULL,
    accepted_at timestamptz  NULL,
    accepted_by varchar(40)  NULL,
    revoked_at  timestamptz  NULL
);
CREATE INDEX IF NOT EXISTS ix_invitations_tenant ON invitations (tenant_id, created_at DESC);

CREATE TABLE IF NOT EXISTS audit_log (
    id             bigserial    PRIMARY KEY,
    tenant_id      varchar(40)  NOT NULL,
    occurred_at    timestamptz  NOT NULL DEFAULT now(),
    action         varchar(64)  NOT NULL,
    actor_user_id  varchar(40)  NULL,
    actor_api_key_id varchar(40) NULL,
    target_type    varchar(40)  NULL,
    target_id      varchar(200) NULL,
    ip             varchar(64)  NULL,
    details        jsonb        NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS ix_audit_log_tenant_time ON audit_log (tenant_id, occurred_at DESC, id DESC);


-- Row-level security: one policy shape for every tenant table.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_members', 'refresh_tokens', 'api_keys', 'invitations', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                         USING (tenant_id = current_setting('app.tenant_id', true))
                         WITH CHECK (tenant_id = current_setting('app.tenant_id', true))$p$, t);
    END LOOP;
END $$;

-- Look-ups before the tenant is known. SECURITY DEFINER runs them as the owner, which RLS does not restrict
-- (the tables are not FORCE ROW LEVEL SECURITY); search_path is pinned so a caller cannot shadow the tables.
CREATE OR REPLACE FUNCTION flexoraa_memberships_of(p_user_id varchar)
RETURNS TABLE (tenant_id varchar, role varchar, joined_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.tenant_id, m.role, m.joined_at FROM tenant_members m WHERE m.user_id = p_user_id ORDER BY m.joined_at;
$$;

CREATE OR REPLACE FUNCTION flexoraa_refresh_token_by_hash(p_hash bytea)
RETURNS TABLE (id varchar, family_id varchar, tenant_id varchar, user_id varchar, expires_at timestamptz, rotated_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT r.id, r.family_id, r.tenant_id, r.user_id, r.expires_at, r.rotated_at, r.revoked_at FROM refresh_tokens r WHERE r.token_hash = p_hash;
$$;

CREATE OR REPLACE FUNCTION flexoraa_api_key_by_hash(p_hash bytea)
RETURNS TABLE (id varchar, tenant_id varchar, role varchar, name varchar, revoked_at timestamptz, last_used_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT k.id, k.tenant_id, k.role, k.name, k.revoked_at, k.last_used_at FROM api_keys k WHERE k.key_hash = p_hash;
$$;

CREATE OR REPLACE FUNCTION flexoraa_invitation_by_hash(p_hash bytea)
RETURNS TABLE (id varchar, tenant_id varchar, email varchar, role varchar, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT i.id, i.tenant_id, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at FROM invitations i WHERE i.token_hash = p_hash;
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT USAGE ON SCHEMA public TO flexoraa_app;
        GRANT SELECT, INSERT, UPDATE ON users TO flexoraa_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_members, refresh_tokens, api_keys, invitations TO flexoraa_app;
        GRANT SELECT, INSERT ON audit_log TO flexoraa_app;   -- the audit log is append-only for the application
        GRANT USAGE ON SEQUENCE audit_log_id_seq TO flexoraa_app;
        GRANT EXECUTE ON FUNCTION flexoraa_memberships_of(varchar), flexoraa_refresh_token_by_hash(bytea),
            flexoraa_api_key_by_hash(bytea), flexoraa_invitation_by_hash(bytea) TO flexoraa_app;
    END IF;
END $$;

-- Sign-ups wait for the address to be confirmed, so the answer to a sign-up never tells whether an email is registered.
CREATE TABLE IF NOT EXISTS signup_requests (
    id               varchar(40)  PRIMARY KEY,
    email            varchar(320) NOT NULL,
    email_normalized varchar(320) NOT NULL,
    display_name     varchar(200) NOT NULL,
    password_hash    text         NOT NULL,
    tenant_name      varchar(200) NOT NULL,
    token_hash       bytea        NOT NULL UNIQUE,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    expires_at       timestamptz  NOT NULL,
    completed_at     timestamptz  NULL
);

-- Every email Flexoraa sends (or would send, without SMTP): the outbox the issue asks for. It is mail to people, not
-- tenant data, and the application may only append to it.
CREATE TABLE IF NOT EXISTS outbound_emails (
    id          bigserial    PRIMARY KEY,
    tenant_id   varchar(40)  NULL,
    recipient   varchar(320) NOT NULL,
    subject     varchar(300) NOT NULL,
    body        text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    sent_at     timestamptz  NULL,
    last_error  text         NULL
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE ON signup_requests TO flexoraa_app;
        GRANT INSERT, UPDATE (sent_at, last_error) ON outbound_emails TO flexoraa_app;
        GRANT SELECT (id) ON outbound_emails TO flexoraa_app;
        GRANT USAGE ON SEQUENCE outbound_emails_id_seq TO flexoraa_app;
    END IF;
END $$;
