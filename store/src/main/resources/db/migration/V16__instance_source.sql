-- a read replica's source instance (null: a primary)
ALTER TABLE instances ADD COLUMN source_instance VARCHAR(63);
