-- 0002_orleans_clustering.sql
--
-- Orleans ADO.NET clustering (membership) for PostgreSQL.
-- DeploymentId is ClusterOptions.ClusterId.
--
-- Re-runnable: IF NOT EXISTS for tables, CREATE OR REPLACE for functions, and the
-- OrleansQuery rows are upserted so that the texts in this file always win.
-- No BEGIN/COMMIT here: the migrator wraps all scripts in one transaction.
--
-- All parameters arrive from Npgsql as text / int4 / timestamptz (DateTime with
-- Kind=Utc), so function arguments are declared varchar / integer / timestamptz;
-- text->varchar is an implicit cast, timestamptz needs no cast at all.

-- One row per cluster. Version is the membership table's optimistic-concurrency
-- token: every membership change (insert/update of a member) must bump it.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (Address, Port, Generation).
-- Address is varchar(45) so that textual IPv6 addresses fit.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,   -- SiloStatus: 0 None .. 3 Active .. 6 Dead
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,       -- "silo,date|silo,date|..."
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable_DeploymentId_Address_Port_Generation
        PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- InsertMembershipKey: insert a member AND bump the table version, all or nothing.
--
-- Why lock-then-write instead of an EXCEPTION block: we first take a row lock on
-- the version row (FOR UPDATE) while checking Version = expected. Concurrent
-- membership writers of the same cluster queue up on that lock; under READ
-- COMMITTED the waiter re-evaluates the predicate against the winner's committed
-- row, sees the bumped version and fails cleanly. Nothing is written until both
-- preconditions (right version, member absent) hold, and once they hold neither
-- write can fail for a logical reason (we own the version row; the FK target is
-- locked so it cannot disappear), so no partial outcome and no subtransaction is
-- needed. Any unexpected error aborts the whole statement, which is also atomic.
-- Returns 1 on success, 0 otherwise (Orleans reads it as a bool row).
CREATE OR REPLACE FUNCTION orleans_membership_insert
(
    p_deployment_id   varchar,
    p_address         varchar,
    p_port            integer,
    p_generation      integer,
    p_silo_name       varchar,
    p_host_name       varchar,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable AS v
    WHERE v.DeploymentId = p_deployment_id
      AND v.Version = p_version
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 0;   -- stale version (or no version row): nothing written
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

    IF NOT FOUND THEN
        RETURN 0;   -- member already exists: version left untouched
    END IF;

    UPDATE OrleansMembershipVersionTable AS v
    SET Version   = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = p_deployment_id;

    RETURN 1;
END;
$$;

-- UpdateMembershipKey: bump the version (only if it equals the expected one) and
-- update Status / SuspectTimes / IAmAliveTime of an existing member, both or
-- neither. Same lock-first reasoning as orleans_membership_insert; if the member
-- row does not exist we return 0 before anything has been written.
CREATE OR REPLACE FUNCTION orleans_membership_update
(
    p_deployment_id   varchar,
    p_address         varchar,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   varchar,
    p_i_am_alive_time timestamptz,
    p_version         integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable AS v
    WHERE v.DeploymentId = p_deployment_id
      AND v.Version = p_version
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable AS m
    SET Status       = p_status,
        SuspectTimes = p_suspect_times,
        IAmAliveTime = p_i_am_alive_time
    WHERE m.DeploymentId = p_deployment_id
      AND m.Address      = p_address
      AND m.Port         = p_port
      AND m.Generation   = p_generation;

    IF NOT FOUND THEN
        RETURN 0;   -- no such member: version left untouched
    END IF;

    UPDATE OrleansMembershipVersionTable AS v
    SET Version   = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = p_deployment_id;

    RETURN 1;
END;
$$;

-- Query texts. Placeholders are @Name (Npgsql SQL rewriting maps them onto the
-- parameters Orleans binds). Every bound parameter is used in each text.
-- Column aliases are unquoted and fold to lower case; Npgsql's case-insensitive
-- name lookup matches them to the names Orleans asks for.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey',
    -- Non-zero only if this call created the row (a silo runs this at init).
    $q$WITH inserted AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS row_count FROM inserted$q$
),
(
    'InsertMembershipKey',
    $q$SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS row_count$q$
),
(
    'UpdateMembershipKey',
    $q$SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version) AS row_count$q$
),
(
    -- Heartbeat: deliberately does NOT touch the table version.
    'UpdateIAmAlivetimeKey',
    $q$UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation$q$
),
(
    -- LEFT JOIN so that at least one row (carrying Version) comes back while the
    -- version row exists; a NULL StartTime marks "no member on this row".
    'MembershipReadRowKey',
    $q$SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId$q$
),
(
    'MembershipReadAllKey',
    $q$SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId$q$
),
(
    'GatewaysQueryKey',
    $q$SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0$q$
),
(
    -- Two statements (needs Npgsql SQL rewriting): members first because of the FK.
    'DeleteMembershipTableEntriesKey',
    $q$DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId$q$
),
(
    -- Status 3 = SiloStatus.Active: never remove a silo that still claims to be active.
    'CleanupDefunctSiloEntriesKey',
    $q$DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND IAmAliveTime < @IAmAliveTime
  AND Status <> 3$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
