DROP FUNCTION baton_finish(text, text, double precision, text, double precision);
DROP FUNCTION baton_claim(text, text, text, double precision, double precision);
ALTER TABLE inbox DROP COLUMN deferred_at;
