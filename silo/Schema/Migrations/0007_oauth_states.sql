-- Sign-ins through an OpenID Connect provider (Google) in progress: the state, nonce and PKCE verifier of each one.
-- They live here rather than in a cookie or in memory so that the callback may land on any frontend instance behind
-- a load balancer. A row is claimed once by its callback and expires after minutes; it holds no tenant data, so it
-- has no tenant_id and no row-level security.
CREATE TABLE IF NOT EXISTS oauth_states (
    state_hash    bytea         PRIMARY KEY,   -- SHA-256 of the state parameter; the state itself is never stored
    provider      varchar(32)   NOT NULL,
    nonce         varchar(100)  NOT NULL,
    code_verifier varchar(128)  NOT NULL,
    return_url    varchar(2000) NULL,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    expires_at    timestamptz   NOT NULL,
    used_at       timestamptz   NULL
);
CREATE INDEX IF NOT EXISTS ix_oauth_states_expires ON oauth_states (expires_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_states TO flexoraa_app;
    END IF;
END $$;
