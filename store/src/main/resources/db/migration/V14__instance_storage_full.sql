-- Whether an instance's storage filled up and its engine was made read-only (until the supervisor sees room again).
-- Before this it was told by last_error starting with 'storage full' (or, when a start found it full, only by the status);
-- that text stays for people, this is for code.
ALTER TABLE instances ADD COLUMN storage_full INTEGER NOT NULL DEFAULT 0;
UPDATE instances SET storage_full = 1 WHERE status = 'STORAGE_FULL' OR last_error LIKE 'storage full%';
