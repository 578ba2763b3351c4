-- A claim token per Idempotency-Key claim: only the request that holds the claim may complete or
-- release it, so a takeover of an abandoned claim can never be undone by the original request.
ALTER TABLE idempotency_keys ADD COLUMN claim_token TEXT;
