-- Whether a backup is of an external database (Stratum does not run it: a restore takes the engine's default version,
-- database and master user). Before this it was told by version = 'external'.
ALTER TABLE backups ADD COLUMN external INTEGER NOT NULL DEFAULT 0;
UPDATE backups SET external = 1 WHERE version = 'external';
