-- Finishing an entry claims the conversation's next one in the same call, and a claim
-- refused because the conversation was busy records when (deferred_at), so that the wait
-- that follows can be measured. baton_claim gains an OUT column, so it is dropped and made
-- again; 0002 is kept as it was released.
-- depends: 0002.claim-in-one-call

-- When a claim first found the entry's conversation busy (the database's clock): how long
-- it then waited for the entry before it is measured from here.
ALTER TABLE inbox ADD COLUMN deferred_at double precision;

DROP FUNCTION baton_claim(text, text, text, double precision, double precision);

CREATE FUNCTION baton_claim(entry_key text, entry_sequence text, claimant text,
                            lease_seconds double precision, moment double precision,
                            -- whether it is ours now; whether it was leased before (an
                            -- earlier attempt may have posted some replies); seconds
                            -- spent waiting for the lock; seconds it waited, once refused,
                            -- for its conversation to be free
                            OUT claimed boolean, OUT leased_before boolean,
                            OUT lock_wait double precision, OUT lease_wait double precision)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    asked timestamptz := clock_timestamp();
    refused_at double precision;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(entry_sequence));
    lock_wait := extract(epoch from clock_timestamp() - asked);
    SELECT lease_owner IS NOT NULL OR attempts > 0, deferred_at INTO leased_before, refused_at
        FROM inbox WHERE key = entry_key;
    UPDATE inbox AS mine
        SET lease_owner = claimant,
            lease_until = extract(epoch from clock_timestamp()) + lease_seconds,
            updated_at = moment,
            deferred_at = NULL
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
    IF claimed THEN
        lease_wait := coalesce(extract(epoch from clock_timestamp()) - refused_at, 0);
    ELSE
        lease_wait := 0;
        UPDATE inbox SET deferred_at = extract(epoch from clock_timestamp())
            WHERE key = entry_key AND status = 'pending' AND deferred_at IS NULL;
    END IF;
END;
$$;

-- Finishing an entry and, for the instance that ran it, claiming the conversation's next
-- pending entry, in one call. Under the conversation's lock, so that a claim refused
-- because this entry was still pending cannot slip between the two: either it waited for
-- the lock and now finds this entry done, or it was refused before and the next entry is
-- found here. With no claimant (NULL), only the finish.
CREATE FUNCTION baton_finish(entry_key text, entry_sequence text, moment double precision,
                             claimant text, lease_seconds double precision,
                             OUT next_entry json, OUT leased_before boolean,
                             OUT lock_wait double precision, OUT lease_wait double precision)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    asked timestamptz := clock_timestamp();
    following text;
    got record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(entry_sequence));
    lock_wait := extract(epoch from clock_timestamp() - asked);
    lease_wait := 0;
    UPDATE inbox SET status = 'done', error = NULL, updated_at = moment, lease_owner = NULL,
                     lease_until = NULL, deferred_at = NULL
        WHERE key = entry_key;
    IF claimant IS NULL THEN
        RETURN;
    END IF;
    SELECT key INTO following FROM inbox
        WHERE sequence = entry_sequence AND status = 'pending' ORDER BY ordinal, key LIMIT 1;
    IF following IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO got FROM baton_claim(following, entry_sequence, claimant, lease_seconds,
                                       moment);
    lock_wait := lock_wait + got.lock_wait;
    lease_wait := got.lease_wait;
    IF got.claimed THEN
        leased_before := got.leased_before;
        SELECT row_to_json(i) INTO next_entry FROM inbox AS i WHERE i.key = following;
    END IF;
END;
$$;
