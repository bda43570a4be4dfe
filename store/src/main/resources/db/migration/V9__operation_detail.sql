-- What a long step is doing right now, for people (e.g. a backup's bytes, rate and ETA).
ALTER TABLE operations ADD COLUMN detail TEXT;
