-- the read replica a backup was dumped from (null: from the instance itself)
ALTER TABLE backups ADD COLUMN taken_from VARCHAR(63);
