-- Claiming an inbox entry in one call (one round trip instead of five): the advisory lock
-- of its conversation, then the lease, inside one function. A VOLATILE PL/pgSQL function
-- takes a new snapshot for each statement, so the lease check sees every claim committed
-- while this one waited for the lock. The lock is transaction-scoped: it works behind
-- transaction-pooling proxies, where session locks do not.
-- depends: 0001.baton-schema

CREATE FUNCTION baton_claim(entry_key text, entry_sequence text, claimant text,
                            lease_seconds double precision, moment double precision,
                            -- whether it is ours now; whether it was leased before (an
                            -- earlier attempt may have posted some replies); seconds
                            -- spent waiting for the lock
                            OUT claimed boolean, OUT leased_before boolean,
                            OUT lock_wait double precision)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    asked timestamptz := clock_timestamp();
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(entry_sequence));
    lock_wait := extract(epoch from clock_timestamp() - asked);
    SELECT lease_owner IS NOT NULL OR attempts > 0 INTO leased_before
        FROM inbox WHERE key = entry_key;
    UPDATE inbox AS mine
        SET lease_owner = claimant,
            lease_until = extract(epoch from clock_timestamp()) + lease_seconds,
            updated_at = moment
        WHERE mine.key = entry_key AND mine.status = 'pending'
          AND (mine.lease_until IS NULL
               OR mine.lease_until <= extract(epoch from clock_timestamp())
               OR mine.lease_owner = claimant)
          AND NOT EXISTS (
              SELECT 1 FROM inbox AS other
              WHERE other.sequence = mine.sequence AND other.status = 'pending'
                AND other.key <> mine.key
                AND ((other.ordinal, other.key) < (mine.ordinal, mine.key)
                     OR (other.lease_owner IS DISTINCT FROM claimant
                         AND other.lease_until > extract(epoch from clock_timestamp()))));
    claimed := FOUND;
END;
$$;
