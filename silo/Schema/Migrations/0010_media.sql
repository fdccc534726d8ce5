-- Inbound media (images, voice notes, documents...) copied from Meta into Flexoraa's blob store. A row is written in the
-- same transaction as its message (see AppendMessageWrite), so no message is stored without its media being tracked;
-- MediaFetchGrain then fetches it and moves the row from pending to stored, or to failed / rejected with the reason.
--
--   * id is derived from (tenant, channel, WhatsApp media id or Messenger/Instagram URL), see MediaObjectIds, so a
--     redelivered or repeated message maps to the same row and the media is fetched once.
--   * status: pending (not fetched yet, or waiting for a retry) | stored | failed (gave up, or an error that retrying
--     cannot fix) | rejected (fetched but refused: too large, a type not allowed, checksum mismatch).

CREATE TABLE IF NOT EXISTS media_objects (
    tenant_id           varchar(40)  NOT NULL,
    id                  varchar(40)  NOT NULL,
    conversation_id     varchar(40)  NOT NULL,
    message_external_id varchar(256) NOT NULL,
    channel             varchar(16)  NOT NULL,
    channel_account_id  varchar(40)  NOT NULL,
    kind                varchar(24)  NOT NULL,
    external_media_id   varchar(128) NULL,          -- WhatsApp: resolved through GET /{version}/{media-id}
    source_url          text         NULL,          -- Messenger / Instagram: the attachment's CDN URL
    file_name           varchar(255) NULL,          -- WhatsApp documents carry the sender's file name
    mime_type           varchar(128) NULL,          -- as announced, then as fetched
    size_bytes          bigint       NULL,
    sha256_expected     varchar(128) NULL,          -- Meta's, hex or base64 as Meta sent it
    sha256_actual       varchar(64)  NULL,          -- lowercase hex of the stored bytes
    status              varchar(16)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed', 'rejected')),
    attempts            integer      NOT NULL DEFAULT 0,
    last_error          varchar(500) NULL,
    next_attempt_at     timestamptz  NULL,
    blob_key            varchar(200) NULL,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    stored_at           timestamptz  NULL,
    updated_at          timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (external_media_id IS NOT NULL OR source_url IS NOT NULL)
);
-- The source is unique per tenant and channel. URLs can be long, so the index holds their hash.
CREATE UNIQUE INDEX IF NOT EXISTS ux_media_objects_source
    ON media_objects (tenant_id, channel, md5(coalesce(external_media_id, source_url)));
CREATE INDEX IF NOT EXISTS ix_media_objects_message ON media_objects (tenant_id, channel, message_external_id);
-- A conversation restarts its pending fetches when it activates (after a crash between storing and starting them).
CREATE INDEX IF NOT EXISTS ix_media_objects_pending ON media_objects (tenant_id, conversation_id) WHERE status = 'pending';

ALTER TABLE media_objects ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON media_objects;
CREATE POLICY tenant_isolation ON media_objects
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON media_objects TO flexoraa_app;
    END IF;
END $$;
