-- A conversation handed to a human team: its card, whom the wait is for, until when (the
-- same table as SQLite's human_handoffs migration).
-- depends: 0003.finish-claims-the-next

CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    conversation TEXT NOT NULL,
    team TEXT NOT NULL,
    sender TEXT NOT NULL,
    asker TEXT NOT NULL,
    message TEXT,
    note TEXT,
    agent TEXT,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT,
    card_channel TEXT,
    card_ts TEXT,
    due_at DOUBLE PRECISION NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX idx_handoffs_status_due_at ON handoffs (status, due_at);
CREATE INDEX idx_handoffs_conversation ON handoffs (conversation);
