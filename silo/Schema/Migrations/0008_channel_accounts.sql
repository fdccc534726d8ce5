-- Channel accounts (WhatsApp numbers, Messenger pages, Instagram accounts) and the Data Protection key ring that
-- encrypts their secrets.
--
--   * data_protection_keys is ASP.NET Core Data Protection's key ring, shared by every silo and frontend of the
--     deployment so any of them can decrypt what another encrypted. It is deployment-wide, not tenant data: no RLS.
--     Keys are only ever added (retired keys must stay to decrypt old values), so the application may not change them.
--   * channel_accounts holds the encrypted secrets only (Data Protection payloads), never the plaintext. Which tenant
--     owns an external account is decided by ChannelAccountGrain; the partial unique index is the database's backstop.
--   * Webhooks arrive before any tenant is known, so the two look-ups they need are SECURITY DEFINER functions that
--     return only what that step needs: the encrypted app secrets of live accounts, and whether a verify token exists.

CREATE TABLE IF NOT EXISTS data_protection_keys (
    id            bigserial    PRIMARY KEY,
    friendly_name text         NOT NULL UNIQUE,
    xml           text         NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS channel_accounts (
    id                     varchar(40)  PRIMARY KEY,
    tenant_id              varchar(40)  NOT NULL,
    channel                varchar(16)  NOT NULL CHECK (channel IN ('whatsapp', 'messenger', 'instagram')),
    external_account_id    varchar(64)  NOT NULL,      -- phone_number_id, Page id or Instagram account id
    display_name           varchar(200) NOT NULL,
    waba_id                varchar(64)  NULL,          -- WhatsApp only
    phone_number           varchar(32)  NULL,          -- WhatsApp only, for display
    access_token_protected text         NOT NULL,
    access_token_hint      varchar(8)   NULL,          -- last characters of a long token, so people can tell tokens apart
    app_secret_protected   text         NULL,          -- NULL: the deployment's Meta app (Flexoraa:Meta:AppSecret)
    verify_token_hash      bytea        NULL,          -- SHA-256 of the account's own webhook verify token
    app_secret_fingerprint varchar(16)  NOT NULL,      -- names the app secret the route expects, see AppSecretFingerprint
    status                 varchar(16)  NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disconnected')),
    created_at             timestamptz  NOT NULL DEFAULT now(),
    updated_at             timestamptz  NOT NULL DEFAULT now(),
    deleted_at             timestamptz  NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_channel_accounts_live ON channel_accounts (channel, external_account_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_channel_accounts_tenant ON channel_accounts (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_channel_accounts_verify_token ON channel_accounts (channel, verify_token_hash)
    WHERE deleted_at IS NULL AND verify_token_hash IS NOT NULL;

ALTER TABLE channel_accounts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON channel_accounts;
CREATE POLICY tenant_isolation ON channel_accounts
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- Before the tenant is known (see 0006_identity.sql for why SECURITY DEFINER with a pinned search_path).
CREATE OR REPLACE FUNCTION flexoraa_channel_app_secrets(p_channel varchar)
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c.app_secret_protected FROM channel_accounts c
    WHERE c.channel = p_channel AND c.deleted_at IS NULL AND c.app_secret_protected IS NOT NULL;
$$;

CREATE OR REPLACE FUNCTION flexoraa_channel_verify_token_exists(p_channel varchar, p_hash bytea)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM channel_accounts c
                   WHERE c.channel = p_channel AND c.verify_token_hash = p_hash AND c.deleted_at IS NULL);
$$;

-- Functions are executable by PUBLIC by default; only the application should call these.
REVOKE ALL ON FUNCTION flexoraa_channel_app_secrets(varchar), flexoraa_channel_verify_token_exists(varchar, bytea) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT ON data_protection_keys TO flexoraa_app;
        GRANT USAGE ON SEQUENCE data_protection_keys_id_seq TO flexoraa_app;
        GRANT SELECT, INSERT, UPDATE ON channel_accounts TO flexoraa_app;   -- disconnecting is a soft delete
        GRANT EXECUTE ON FUNCTION flexoraa_channel_app_secrets(varchar), flexoraa_channel_verify_token_exists(varchar, bytea) TO flexoraa_app;
    END IF;
END $$;
