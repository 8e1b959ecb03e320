-- Baton's tables on PostgreSQL: the same tables, columns and constraints as the SQLite
-- backend's (tests/test_storage_backends.py compares them).

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    channel TEXT NOT NULL,
    thread_ts TEXT,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    started_ts DOUBLE PRECISION,
    last_ts DOUBLE PRECISION,
    created_at DOUBLE PRECISION,
    updated_at DOUBLE PRECISION,
    expecting TEXT,
    expecting_until DOUBLE PRECISION
);
CREATE INDEX idx_conversations_team_channel_kind_last_ts
    ON conversations (team, channel, kind, last_ts);

CREATE TABLE ledger (
    id TEXT PRIMARY KEY,
    conversation TEXT NOT NULL,
    from_persona TEXT NOT NULL,
    to_persona TEXT,
    skill TEXT NOT NULL,
    intent_id TEXT,
    message TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    kind TEXT,
    resolution TEXT,
    event_id TEXT,
    created_at DOUBLE PRECISION,
    updated_at DOUBLE PRECISION
);
CREATE INDEX idx_ledger_conversation_created_at ON ledger (conversation, created_at);

CREATE TABLE context_namespaces (
    name TEXT PRIMARY KEY,
    ttl DOUBLE PRECISION,
    created_at DOUBLE PRECISION
);

CREATE TABLE context_entries (
    namespace TEXT,
    scope TEXT,
    scope_key TEXT,
    key TEXT,
    value TEXT NOT NULL,
    expires_at DOUBLE PRECISION,
    updated_at DOUBLE PRECISION,
    PRIMARY KEY (namespace, scope, scope_key, key)
);
CREATE INDEX idx_context_entries_expires_at ON context_entries (expires_at);
CREATE INDEX idx_context_entries_scope_scope_key ON context_entries (scope, scope_key);

-- An admitted event: its key is its dedup key (a unique constraint shared by every
-- instance). A lease says which instance runs it, until when.
CREATE TABLE inbox (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    sequence TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    state TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    ordinal DOUBLE PRECISION,
    lease_owner TEXT,
    lease_until DOUBLE PRECISION
);
CREATE INDEX idx_inbox_pending ON inbox (sequence, ordinal) WHERE status = 'pending';
CREATE INDEX idx_inbox_status_updated_at ON inbox (status, updated_at);

CREATE TABLE outbox (
    reply_id TEXT PRIMARY KEY,
    conversation TEXT NOT NULL,
    status TEXT NOT NULL,
    ts TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
