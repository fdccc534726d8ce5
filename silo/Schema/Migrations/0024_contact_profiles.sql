-- Messenger and Instagram contacts' profiles (ContactProfileGrain): webhooks carry only the PSID / IGSID, so the name,
-- username and picture are looked up through the Graph API and kept on the conversation. contact_profile_status is null
-- until the first look-up answers ('pending' to a client on those channels, 'notApplicable' on WhatsApp, whose name comes
-- with each webhook); contact_profile_checked_at is when Meta last answered, from which the refresh period runs.
-- Same table, same row-level security: no new policy.

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_username text NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_avatar_url text NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_profile_status text NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS contact_profile_checked_at timestamptz NULL;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'conversations_contact_profile_status_check') THEN
        ALTER TABLE conversations ADD CONSTRAINT conversations_contact_profile_status_check
            CHECK (contact_profile_status IN ('pending', 'found', 'unavailable', 'consentRequired', 'notApplicable'));
    END IF;
END $$;
