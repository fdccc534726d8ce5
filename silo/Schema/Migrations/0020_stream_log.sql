-- Flexoraa's own stream queues (silo/Streaming/Postgres): an append-only log per provider and queue, read by sequence.
-- Writers take the queue's head row lock, number their rows after it and commit; the lock makes commit order equal to
-- sequence order within a queue, so a reader that has seen sequence n will never see a row below n appear later.

CREATE TABLE IF NOT EXISTS flexoraa_stream_queues (
    provider  text    NOT NULL,
    queue_id  integer NOT NULL,
    head      bigint  NOT NULL DEFAULT 0,   -- the highest sequence number written to this queue
    PRIMARY KEY (provider, queue_id)
);

-- Consumers' committed positions live apart from the heads, so confirming never waits behind a writer's lock.
CREATE TABLE IF NOT EXISTS flexoraa_stream_offsets (
    provider   text        NOT NULL,
    queue_id   integer     NOT NULL,
    committed  bigint      NOT NULL DEFAULT 0,   -- every row at or below this has been delivered
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, queue_id)
);

CREATE TABLE IF NOT EXISTS flexoraa_stream_log (
    provider    text        NOT NULL,
    queue_id    integer     NOT NULL,
    seq         bigint      NOT NULL,
    payload     bytea       NOT NULL,   -- an Orleans-serialized batch container
    enqueued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, queue_id, seq)
);

-- Events a consumer could not take within the provider's delivery time, kept with the reason for inspection and replay.
CREATE TABLE IF NOT EXISTS flexoraa_stream_dead_letters (
    provider      text        NOT NULL,
    queue_id      integer     NOT NULL,
    seq           bigint      NOT NULL,
    stream_id     text        NOT NULL,
    payload       bytea,
    reason        text        NOT NULL,
    failed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, queue_id, seq, stream_id)
);
