-- 0003_orleans_persistence.sql
--
-- Orleans ADO.NET grain persistence for PostgreSQL.
-- serviceid is ClusterOptions.ServiceId. Names are lower-case and unquoted.
--
-- Re-runnable: IF NOT EXISTS / CREATE OR REPLACE / OrleansQuery upsert.
-- No BEGIN/COMMIT here: the migrator wraps all scripts in one transaction.
--
-- Version is the grain state's ETag. Orleans treats a returned version that is
-- unchanged, NULL, or missing (while it holds a non-null ETag) as a write
-- conflict (InconsistentStateException).

CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,   -- the state name in Orleans 7+
    grainidextensionstring varchar(512) NULL,       -- key extension / whole string key
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,       -- NULL after a clear
    modifiedon             timestamptz  NOT NULL,   -- never read by Orleans; timestamptz so it is unambiguous
    version                integer      NULL
);

-- Deviation from upstream (which only has a NON-unique index on
-- (grainidhash, graintypehash) and no key at all): a UNIQUE index over the full
-- logical identity. Without it, two activations of the same grain writing with a
-- NULL ETag at the same time (split brain) can both "insert if not exists" under
-- READ COMMITTED and create duplicate rows, after which every read throws
-- ("Sequence contains more than one element").
--
-- NULLS NOT DISTINCT (PostgreSQL 15+) makes a NULL grainidextensionstring collide
-- with another NULL, which is exactly Orleans' notion of identity.
--
-- The leading columns are (grainidhash, graintypehash), so this index also serves
-- every lookup the upstream non-unique ix_orleansstorage would; we therefore do
-- not create that redundant index as well (it would only slow down writes).
--
-- NOTE: if this is ever applied to a table that already holds duplicates, index
-- creation fails ("could not create unique index"). Resolve the duplicates by
-- hand first; a migration must not silently pick which grain state to discard.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity
    ON orleansstorage (grainidhash, graintypehash, serviceid, grainidn0, grainidn1,
                       graintypestring, grainidextensionstring)
    NULLS NOT DISTINCT;

-- WriteToStorageKey.
--   p_grain_state_version NULL -> first write: insert with version 1 and return 1,
--       unless the row already exists, in which case return NULL (conflict).
--       ON CONFLICT DO NOTHING (against the unique index above) is what makes this
--       race-free: the losing concurrent writer gets NULL instead of a duplicate.
--       The explicit conflict target also guarantees that this function errors
--       out, instead of silently duplicating, if the unique index were missing.
--   p_grain_state_version n -> update where version = n, return n + 1; if no row
--       matched return n unchanged (Orleans reads "unchanged" as a conflict).
CREATE OR REPLACE FUNCTION orleans_write_to_storage
(
    p_grain_id_hash             integer,
    p_grain_id_n0               bigint,
    p_grain_id_n1               bigint,
    p_grain_type_hash           integer,
    p_grain_type_string         varchar,
    p_grain_id_extension_string varchar,
    p_service_id                varchar,
    p_grain_state_version       integer,
    p_payload_binary            bytea
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version integer;
BEGIN
    IF p_grain_state_version IS NULL THEN
        INSERT INTO orleansstorage AS s
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
             grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type_string,
             p_grain_id_extension_string, p_service_id, p_payload_binary, now(), 1)
        ON CONFLICT (grainidhash, graintypehash, serviceid, grainidn0, grainidn1,
                     graintypestring, grainidextensionstring)
        DO NOTHING
        RETURNING s.version INTO v_new_version;

        RETURN v_new_version;   -- NULL when the row already existed
    END IF;

    UPDATE orleansstorage AS s
    SET payloadbinary = p_payload_binary,
        modifiedon    = now(),
        version       = s.version + 1
    WHERE s.grainidhash     = p_grain_id_hash
      AND s.graintypehash   = p_grain_type_hash
      AND s.serviceid       = p_service_id
      AND s.grainidn0       = p_grain_id_n0
      AND s.grainidn1       = p_grain_id_n1
      AND s.graintypestring = p_grain_type_string
      AND s.grainidextensionstring IS NOT DISTINCT FROM p_grain_id_extension_string
      AND s.version         = p_grain_state_version
    RETURNING s.version INTO v_new_version;

    RETURN coalesce(v_new_version, p_grain_state_version);
END;
$$;

-- In the texts below the identity predicate leads with the indexed equality
-- columns; "IS NOT DISTINCT FROM" (NULL equals NULL) on the extension string is
-- applied as a filter on the at most one row they find.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- 0 or 1 row (guaranteed by the unique index); PayloadBinary/Version read by name.
    'ReadFromStorageKey',
    $q$SELECT payloadbinary, version
FROM orleansstorage
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString$q$
),
(
    -- Exactly one row, column NewGrainStateVersion.
    'WriteToStorageKey',
    $q$SELECT orleans_write_to_storage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion$q$
),
(
    -- Keep the row (payload NULL, version + 1) so the ETag chain continues;
    -- Orleans reads the new version by ordinal 0. No row = conflict.
    'ClearStorageKey',
    $q$UPDATE orleansstorage
SET payloadbinary = NULL,
    modifiedon = now(),
    version = version + 1
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion$q$
),
(
    -- Used when DeleteStateOnClear=true. Returns n + 1 (anything but n means
    -- success); Orleans then nulls the ETag so the next write takes the insert path.
    'DeleteStorageKey',
    $q$DELETE FROM orleansstorage
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND serviceid = @ServiceId
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
