-- WhatsApp business-scoped user ids (BSUID, issue 12 item 2). Meta now names a customer by a user id (contacts[].user_id,
-- messages[].from_user_id) beside, or, when the customer hides their number behind a username, instead of the wa_id.
-- A conversation is keyed by the wa_id when there is one, else by the BSUID.

-- Which wa_id a BSUID belongs to, per channel account, learned from webhooks that carry both. A webhook that carries only
-- the BSUID is routed to the wa_id's conversation through this. A BSUID changes when the customer's number changes
-- (and on user_changed_user_id), so several BSUIDs may name one wa_id; one BSUID names one wa_id.
CREATE TABLE IF NOT EXISTS whatsapp_contact_ids (
    tenant_id          varchar(40)  NOT NULL,
    channel_account_id varchar(40)  NOT NULL,
    user_id            varchar(128) NOT NULL,
    wa_id              varchar(32)  NOT NULL,
    updated_at         timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel_account_id, user_id)
);

ALTER TABLE whatsapp_contact_ids ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON whatsapp_contact_ids;
CREATE POLICY tenant_isolation ON whatsapp_contact_ids
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- The customer's BSUID and username as the channel last gave them, shown with the contact.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_user_id varchar(128) NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_username varchar(200) NULL;

-- The conversation this one continues: the old number's when the customer changed number (a "user_changed_number" system
-- message), or the BSUID-only conversation of the same customer once their number became known. The reverse link
-- (continued in) is derived through the index, so the two can never disagree.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS previous_conversation_id varchar(40) NULL;
CREATE INDEX IF NOT EXISTS ix_conversations_previous ON conversations (tenant_id, previous_conversation_id) WHERE previous_conversation_id IS NOT NULL;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_contact_ids TO flexoraa_app;
    END IF;
END $$;
