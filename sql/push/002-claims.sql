-- 002-claims.sql -- a sender claims a batch of due deliveries with one UPDATE (its random
-- claim token and due_at a minute ahead), then reads the batch back by the token: one
-- statement per batch instead of one per delivery.
ALTER TABLE deliveries ADD COLUMN claim BIGINT UNSIGNED NULL, ADD KEY ix_deliveries_claim (claim);
