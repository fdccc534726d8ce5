-- 0004_orleans_reminders.sql
--
-- Orleans ADO.NET reminders for PostgreSQL.
-- ServiceId is ClusterOptions.ServiceId.
--
-- Re-runnable: IF NOT EXISTS / OrleansQuery upsert.
-- No BEGIN/COMMIT here: the migrator wraps all scripts in one transaction.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    -- Widened from upstream's 150: GrainId is GrainId.ToString() ("type/key") and
    -- our grain keys are long strings. An over-long value errors, it is never
    -- truncated, so this has to be generous.
    GrainId      varchar(512)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,   -- UTC
    Period       bigint         NOT NULL,   -- milliseconds; read with GetInt64
    GrainHash    integer        NOT NULL,   -- uniform hash (uint) cast to int32
    Version      integer        NOT NULL,   -- ETag

    CONSTRAINT PK_OrleansRemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Not in upstream: each silo reads its reminders by hash range
-- (ReadRangeRows1Key / ReadRangeRows2Key), which would otherwise scan the whole
-- service's rows.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- Everything here is a single statement, so no functions are needed: the upsert
-- is one atomic INSERT ... ON CONFLICT, and the conditional delete reports
-- whether it removed the row via a counting CTE.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Insert with Version 0; on an existing key overwrite the schedule and bump
    -- the version. Returns the resulting Version (the new ETag).
    'UpsertReminderRowKey',
    $q$INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = r.Version + 1
RETURNING r.Version AS Version$q$
),
(
    'ReadReminderRowKey',
    $q$SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName$q$
),
(
    'ReadReminderRowsKey',
    $q$SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId$q$
),
(
    -- Non-wrapping range: BeginHash < GrainHash <= EndHash.
    'ReadRangeRows1Key',
    $q$SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash$q$
),
(
    -- Wrapping range (the ring wraps past int.MaxValue).
    'ReadRangeRows2Key',
    $q$SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)$q$
),
(
    -- Bool row: 1 if the row with the expected ETag was deleted, else 0.
    'DeleteReminderRowKey',
    $q$WITH deleted AS
(
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS row_count FROM deleted$q$
),
(
    'DeleteReminderRowsKey',
    $q$DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
