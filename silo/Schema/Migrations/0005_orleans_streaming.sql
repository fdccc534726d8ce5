-- 0005_orleans_streaming.sql
--
-- Orleans ADO.NET streaming (Microsoft.Orleans.Streaming.AdoNet) for PostgreSQL.
-- ServiceId = ClusterOptions.ServiceId, ProviderId = stream provider name,
-- QueueId = "<provider name lower-cased>-<n>".
--
-- Re-runnable: IF NOT EXISTS / CREATE OR REPLACE / OrleansQuery upsert.
-- No BEGIN/COMMIT here: the migrator wraps all scripts in one transaction.
--
-- Time: the provider reads these timestamps as they are (no Kind fix-up) and
-- compares ExpiresOn with DateTime.UtcNow, so every time column is a plain
-- `timestamp` holding UTC wall-clock, always computed in SQL as
-- now() AT TIME ZONE 'UTC' (independent of the session TimeZone setting).
-- Timeouts arrive as int seconds.
--
-- The C# side casts result columns directly ((long), (int), (DateTime), (byte[])),
-- so result column TYPES matter: MessageId bigint, Dequeued integer, times
-- timestamp, Payload bytea, ids varchar.

-- MessageId source. It becomes the stream sequence token, so it must increase
-- monotonically: keep it a single global sequence and keep CACHE at 1 (a
-- per-session cache would hand out interleaved ranges).
CREATE SEQUENCE IF NOT EXISTS OrleansStreamMessageSequence AS bigint START WITH 1 INCREMENT BY 1 CACHE 1;

CREATE TABLE IF NOT EXISTS OrleansStreamMessage
(
    ServiceId  varchar(150) NOT NULL,
    ProviderId varchar(150) NOT NULL,
    QueueId    varchar(150) NOT NULL,
    MessageId  bigint       NOT NULL,
    Dequeued   integer      NOT NULL,   -- delivery attempts so far; doubles as the confirmation receipt
    VisibleOn  timestamp(6) NOT NULL,
    ExpiresOn  timestamp(6) NOT NULL,
    CreatedOn  timestamp(6) NOT NULL,
    ModifiedOn timestamp(6) NOT NULL,
    Payload    bytea        NOT NULL,

    -- Also the access path for every queue operation (per queue, MessageId order).
    CONSTRAINT PK_OrleansStreamMessage PRIMARY KEY (ServiceId, ProviderId, QueueId, MessageId)
);

CREATE TABLE IF NOT EXISTS OrleansStreamDeadLetter
(
    ServiceId  varchar(150) NOT NULL,
    ProviderId varchar(150) NOT NULL,
    QueueId    varchar(150) NOT NULL,
    MessageId  bigint       NOT NULL,
    Dequeued   integer      NOT NULL,
    VisibleOn  timestamp(6) NOT NULL,
    ExpiresOn  timestamp(6) NOT NULL,
    CreatedOn  timestamp(6) NOT NULL,
    ModifiedOn timestamp(6) NOT NULL,
    DeadOn     timestamp(6) NOT NULL,
    RemoveOn   timestamp(6) NOT NULL,
    Payload    bytea        NULL,

    CONSTRAINT PK_OrleansStreamDeadLetter PRIMARY KEY (ServiceId, ProviderId, QueueId, MessageId)
);

-- One row per queue: when opportunistic eviction may run next.
CREATE TABLE IF NOT EXISTS OrleansStreamControl
(
    ServiceId  varchar(150) NOT NULL,
    ProviderId varchar(150) NOT NULL,
    QueueId    varchar(150) NOT NULL,
    EvictOn    timestamp(6) NOT NULL,

    CONSTRAINT PK_OrleansStreamControl PRIMARY KEY (ServiceId, ProviderId, QueueId)
);

-- Locking convention for all routines below: rows are locked with FOR UPDATE in
-- MessageId order before they are modified, so concurrent callers on one queue
-- acquire locks in the same order and cannot deadlock. (No SKIP LOCKED: a queue
-- normally has a single receiver, and waiting is the predictable behaviour.)

-- QueueStreamMessageKey: enqueue one message, visible immediately.
CREATE OR REPLACE FUNCTION orleans_stream_queue_message
(
    p_service_id     varchar,
    p_provider_id    varchar,
    p_queue_id       varchar,
    p_payload        bytea,
    p_expiry_timeout integer
)
RETURNS TABLE (ServiceId varchar, ProviderId varchar, QueueId varchar, MessageId bigint)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_now timestamp(6) := now() AT TIME ZONE 'UTC';
BEGIN
    RETURN QUERY
    INSERT INTO OrleansStreamMessage AS m
        (ServiceId, ProviderId, QueueId, MessageId, Dequeued,
         VisibleOn, ExpiresOn, CreatedOn, ModifiedOn, Payload)
    VALUES
        (p_service_id, p_provider_id, p_queue_id, nextval('OrleansStreamMessageSequence'), 0,
         v_now, v_now + make_interval(secs => p_expiry_timeout), v_now, v_now, p_payload)
    RETURNING m.ServiceId, m.ProviderId, m.QueueId, m.MessageId;
END;
$$;

-- Move up to p_max_count messages that can no longer be delivered (attempts
-- exhausted or expired) to the dead letters. VisibleOn <= now keeps messages
-- that are currently in flight with a receiver out of it.
-- Returns the number of messages moved.
CREATE OR REPLACE FUNCTION orleans_stream_evict_messages
(
    p_service_id      varchar,
    p_provider_id     varchar,
    p_queue_id        varchar,
    p_max_count       integer,
    p_max_attempts    integer,
    p_removal_timeout integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_now   timestamp(6) := now() AT TIME ZONE 'UTC';
    v_count integer;
BEGIN
    WITH batch AS
    (
        SELECT m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
        FROM OrleansStreamMessage AS m
        WHERE m.ServiceId  = p_service_id
          AND m.ProviderId = p_provider_id
          AND m.QueueId    = p_queue_id
          AND m.VisibleOn <= v_now
          AND (m.Dequeued >= p_max_attempts OR m.ExpiresOn <= v_now)
        ORDER BY m.MessageId
        LIMIT p_max_count
        FOR UPDATE
    ),
    moved AS
    (
        DELETE FROM OrleansStreamMessage AS m
        USING batch AS b
        WHERE m.ServiceId  = b.ServiceId
          AND m.ProviderId = b.ProviderId
          AND m.QueueId    = b.QueueId
          AND m.MessageId  = b.MessageId
        RETURNING m.*
    )
    INSERT INTO OrleansStreamDeadLetter
        (ServiceId, ProviderId, QueueId, MessageId, Dequeued, VisibleOn, ExpiresOn,
         CreatedOn, ModifiedOn, DeadOn, RemoveOn, Payload)
    SELECT mv.ServiceId, mv.ProviderId, mv.QueueId, mv.MessageId, mv.Dequeued, mv.VisibleOn, mv.ExpiresOn,
           mv.CreatedOn, mv.ModifiedOn, v_now, v_now + make_interval(secs => p_removal_timeout), mv.Payload
    FROM moved AS mv;

    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- Delete up to p_max_count dead letters whose retention has run out.
-- Returns the number of dead letters deleted.
CREATE OR REPLACE FUNCTION orleans_stream_evict_dead_letters
(
    p_service_id  varchar,
    p_provider_id varchar,
    p_queue_id    varchar,
    p_max_count   integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_now   timestamp(6) := now() AT TIME ZONE 'UTC';
    v_count integer;
BEGIN
    WITH batch AS
    (
        SELECT d.ServiceId, d.ProviderId, d.QueueId, d.MessageId
        FROM OrleansStreamDeadLetter AS d
        WHERE d.ServiceId  = p_service_id
          AND d.ProviderId = p_provider_id
          AND d.QueueId    = p_queue_id
          AND d.RemoveOn  <= v_now
        ORDER BY d.MessageId
        LIMIT p_max_count
        FOR UPDATE
    )
    DELETE FROM OrleansStreamDeadLetter AS d
    USING batch AS b
    WHERE d.ServiceId  = b.ServiceId
      AND d.ProviderId = b.ProviderId
      AND d.QueueId    = b.QueueId
      AND d.MessageId  = b.MessageId;

    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- GetStreamMessagesKey.
-- (1) Opportunistic housekeeping: make sure the queue has a control row; if its
--     EvictOn is due, the caller that wins the conditional UPDATE (the row lock
--     serialises contenders; losers re-check EvictOn and see it moved into the
--     future) pushes EvictOn forward and runs both evictions.
-- (2) Claim up to p_max_count deliverable messages in MessageId order: bump
--     Dequeued (the new value is the receipt the receiver must present to
--     confirm), hide them for p_visibility_timeout seconds, and return them
--     sorted by MessageId (older clients use the order as returned).
CREATE OR REPLACE FUNCTION orleans_stream_get_messages
(
    p_service_id          varchar,
    p_provider_id         varchar,
    p_queue_id            varchar,
    p_max_count           integer,
    p_max_attempts        integer,
    p_visibility_timeout  integer,
    p_removal_timeout     integer,
    p_eviction_interval   integer,
    p_eviction_batch_size integer
)
RETURNS TABLE
(
    ServiceId  varchar,
    ProviderId varchar,
    QueueId    varchar,
    MessageId  bigint,
    Dequeued   integer,
    VisibleOn  timestamp,
    ExpiresOn  timestamp,
    CreatedOn  timestamp,
    ModifiedOn timestamp,
    Payload    bytea
)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_now timestamp(6) := now() AT TIME ZONE 'UTC';
BEGIN
    INSERT INTO OrleansStreamControl AS c (ServiceId, ProviderId, QueueId, EvictOn)
    VALUES (p_service_id, p_provider_id, p_queue_id, v_now + make_interval(secs => p_eviction_interval))
    ON CONFLICT (ServiceId, ProviderId, QueueId) DO NOTHING;

    UPDATE OrleansStreamControl AS c
    SET EvictOn = v_now + make_interval(secs => p_eviction_interval)
    WHERE c.ServiceId  = p_service_id
      AND c.ProviderId = p_provider_id
      AND c.QueueId    = p_queue_id
      AND c.EvictOn   <= v_now;

    IF FOUND THEN
        PERFORM orleans_stream_evict_messages(p_service_id, p_provider_id, p_queue_id,
                                              p_eviction_batch_size, p_max_attempts, p_removal_timeout);
        PERFORM orleans_stream_evict_dead_letters(p_service_id, p_provider_id, p_queue_id,
                                                  p_eviction_batch_size);
    END IF;

    RETURN QUERY
    WITH batch AS
    (
        SELECT m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
        FROM OrleansStreamMessage AS m
        WHERE m.ServiceId  = p_service_id
          AND m.ProviderId = p_provider_id
          AND m.QueueId    = p_queue_id
          AND m.Dequeued   < p_max_attempts
          AND m.VisibleOn <= v_now
          AND m.ExpiresOn  > v_now
        ORDER BY m.MessageId
        LIMIT p_max_count
        FOR UPDATE
    ),
    claimed AS
    (
        UPDATE OrleansStreamMessage AS m
        SET Dequeued   = m.Dequeued + 1,
            VisibleOn  = v_now + make_interval(secs => p_visibility_timeout),
            ModifiedOn = v_now
        FROM batch AS b
        WHERE m.ServiceId  = b.ServiceId
          AND m.ProviderId = b.ProviderId
          AND m.QueueId    = b.QueueId
          AND m.MessageId  = b.MessageId
        RETURNING m.ServiceId, m.ProviderId, m.QueueId, m.MessageId, m.Dequeued,
                  m.VisibleOn, m.ExpiresOn, m.CreatedOn, m.ModifiedOn, m.Payload
    )
    SELECT cl.ServiceId, cl.ProviderId, cl.QueueId, cl.MessageId, cl.Dequeued,
           cl.VisibleOn::timestamp, cl.ExpiresOn::timestamp, cl.CreatedOn::timestamp,
           cl.ModifiedOn::timestamp, cl.Payload
    FROM claimed AS cl
    ORDER BY cl.MessageId;
END;
$$;

-- ConfirmStreamMessagesKey. p_items is "messageId:receipt|messageId:receipt|...",
-- where the receipt is the Dequeued value the receiver got from GetStreamMessages.
-- * All receipts >= 0 (confirm): delete each message whose current Dequeued still
--   equals its receipt (a mismatch means it was re-delivered since, so this
--   receiver no longer owns it) and return the deleted ones.
-- * Any receipt < 0 (release, used by the receiver on shutdown): treat the whole
--   batch as a release. For messages whose Dequeued equals -receipt, make them
--   visible again now (VisibleOn = ModifiedOn = now) instead of waiting out the
--   visibility timeout; delete nothing; return the released ones. Positive
--   receipts in such a batch match nothing (Dequeued is never negative).
--   Dequeued is not rolled back, so a release still counts as an attempt.
-- Items are parsed with string_to_array/split_part (no temp table needed).
CREATE OR REPLACE FUNCTION orleans_stream_confirm_messages
(
    p_service_id  varchar,
    p_provider_id varchar,
    p_queue_id    varchar,
    p_items       text
)
RETURNS TABLE (ServiceId varchar, ProviderId varchar, QueueId varchar, MessageId bigint)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    v_now      timestamp(6) := now() AT TIME ZONE 'UTC';
    v_ids      bigint[];
    v_receipts integer[];
BEGIN
    SELECT array_agg(split_part(t.item, ':', 1)::bigint),
           array_agg(split_part(t.item, ':', 2)::integer)
    INTO v_ids, v_receipts
    FROM unnest(string_to_array(p_items, '|')) AS t(item)
    WHERE t.item <> '';

    IF v_ids IS NULL THEN
        RETURN;   -- empty batch
    END IF;

    IF EXISTS (SELECT 1 FROM unnest(v_receipts) AS r(receipt) WHERE r.receipt < 0) THEN
        RETURN QUERY
        WITH batch AS
        (
            SELECT m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
            FROM OrleansStreamMessage AS m
            JOIN unnest(v_ids, v_receipts) AS r(rid, receipt)
              ON m.MessageId = r.rid
             AND m.Dequeued  = -r.receipt
            WHERE m.ServiceId  = p_service_id
              AND m.ProviderId = p_provider_id
              AND m.QueueId    = p_queue_id
            ORDER BY m.MessageId
            FOR UPDATE OF m
        ),
        released AS
        (
            UPDATE OrleansStreamMessage AS m
            SET VisibleOn  = v_now,
                ModifiedOn = v_now
            FROM batch AS b
            WHERE m.ServiceId  = b.ServiceId
              AND m.ProviderId = b.ProviderId
              AND m.QueueId    = b.QueueId
              AND m.MessageId  = b.MessageId
            RETURNING m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
        )
        SELECT rl.ServiceId, rl.ProviderId, rl.QueueId, rl.MessageId
        FROM released AS rl
        ORDER BY rl.MessageId;
    ELSE
        RETURN QUERY
        WITH batch AS
        (
            SELECT m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
            FROM OrleansStreamMessage AS m
            JOIN unnest(v_ids, v_receipts) AS r(rid, receipt)
              ON m.MessageId = r.rid
             AND m.Dequeued  = r.receipt
            WHERE m.ServiceId  = p_service_id
              AND m.ProviderId = p_provider_id
              AND m.QueueId    = p_queue_id
            ORDER BY m.MessageId
            FOR UPDATE OF m
        ),
        deleted AS
        (
            DELETE FROM OrleansStreamMessage AS m
            USING batch AS b
            WHERE m.ServiceId  = b.ServiceId
              AND m.ProviderId = b.ProviderId
              AND m.QueueId    = b.QueueId
              AND m.MessageId  = b.MessageId
            RETURNING m.ServiceId, m.ProviderId, m.QueueId, m.MessageId
        )
        SELECT dl.ServiceId, dl.ProviderId, dl.QueueId, dl.MessageId
        FROM deleted AS dl
        ORDER BY dl.MessageId;
    END IF;
END;
$$;

-- FailStreamMessageKey: delivery of one message failed.
-- Attempts left (Dequeued < p_max_attempts): make it visible again now.
-- Otherwise: move it to the dead letters, kept for p_removal_timeout seconds.
-- Returns 0 = message not found, 1 = made visible, 2 = dead-lettered
-- (informational only; Orleans ignores the result).
CREATE OR REPLACE FUNCTION orleans_stream_fail_message
(
    p_service_id      varchar,
    p_provider_id     varchar,
    p_queue_id        varchar,
    p_message_id      bigint,
    p_max_attempts    integer,
    p_removal_timeout integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_now      timestamp(6) := now() AT TIME ZONE 'UTC';
    v_dequeued integer;
BEGIN
    SELECT m.Dequeued INTO v_dequeued
    FROM OrleansStreamMessage AS m
    WHERE m.ServiceId  = p_service_id
      AND m.ProviderId = p_provider_id
      AND m.QueueId    = p_queue_id
      AND m.MessageId  = p_message_id
    FOR UPDATE;

    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    IF v_dequeued < p_max_attempts THEN
        UPDATE OrleansStreamMessage AS m
        SET VisibleOn  = v_now,
            ModifiedOn = v_now
        WHERE m.ServiceId  = p_service_id
          AND m.ProviderId = p_provider_id
          AND m.QueueId    = p_queue_id
          AND m.MessageId  = p_message_id;
        RETURN 1;
    END IF;

    WITH moved AS
    (
        DELETE FROM OrleansStreamMessage AS m
        WHERE m.ServiceId  = p_service_id
          AND m.ProviderId = p_provider_id
          AND m.QueueId    = p_queue_id
          AND m.MessageId  = p_message_id
        RETURNING m.*
    )
    INSERT INTO OrleansStreamDeadLetter
        (ServiceId, ProviderId, QueueId, MessageId, Dequeued, VisibleOn, ExpiresOn,
         CreatedOn, ModifiedOn, DeadOn, RemoveOn, Payload)
    SELECT mv.ServiceId, mv.ProviderId, mv.QueueId, mv.MessageId, mv.Dequeued, mv.VisibleOn, mv.ExpiresOn,
           mv.CreatedOn, mv.ModifiedOn, v_now, v_now + make_interval(secs => p_removal_timeout), mv.Payload
    FROM moved AS mv;
    RETURN 2;
END;
$$;

-- Query texts. The two eviction keys are never run by the runtime but must
-- exist; they use @MaxCount, which is what the C# helper binds (upstream's
-- @BatchSize would have been sent through unbound).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'QueueStreamMessageKey',
    $q$SELECT ServiceId, ProviderId, QueueId, MessageId
FROM orleans_stream_queue_message(@ServiceId, @ProviderId, @QueueId, @Payload, @ExpiryTimeout)$q$
),
(
    'GetStreamMessagesKey',
    $q$SELECT ServiceId, ProviderId, QueueId, MessageId, Dequeued, VisibleOn, ExpiresOn, CreatedOn, ModifiedOn, Payload
FROM orleans_stream_get_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @VisibilityTimeout, @RemovalTimeout, @EvictionInterval, @EvictionBatchSize)
ORDER BY MessageId$q$
),
(
    'ConfirmStreamMessagesKey',
    $q$SELECT ServiceId, ProviderId, QueueId, MessageId
FROM orleans_stream_confirm_messages(@ServiceId, @ProviderId, @QueueId, @Items)
ORDER BY MessageId$q$
),
(
    'FailStreamMessageKey',
    $q$SELECT orleans_stream_fail_message(@ServiceId, @ProviderId, @QueueId, @MessageId, @MaxAttempts, @RemovalTimeout)$q$
),
(
    'EvictStreamMessagesKey',
    $q$SELECT orleans_stream_evict_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @RemovalTimeout)$q$
),
(
    'EvictStreamDeadLettersKey',
    $q$SELECT orleans_stream_evict_dead_letters(@ServiceId, @ProviderId, @QueueId, @MaxCount)$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
