-- 0001_orleans_query.sql
--
-- OrleansQuery: the table from which every Orleans ADO.NET provider (clustering,
-- persistence, reminders, streaming) loads its query texts at start-up, keyed by
-- QueryKey. Orleans never runs DDL itself; it only executes the texts stored here.
--
-- Identifiers are deliberately UNQUOTED: Orleans' hard-coded load statement is
-- unquoted and unqualified, so the table must fold to orleansquery and be
-- reachable through the connection's search_path.
--
-- Re-runnable: the migrator applies every script at every start-up (inside one
-- transaction behind pg_advisory_xact_lock), so everything here is idempotent.
-- No BEGIN/COMMIT here: the migrator owns the transaction.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
