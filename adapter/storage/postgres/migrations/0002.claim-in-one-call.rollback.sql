DROP FUNCTION baton_claim(text, text, text, double precision, double precision);
