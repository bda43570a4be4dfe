-- The index in its plan of the step an operation is in (a plan may hold the same kind of step twice). Operations stored
-- before this have none; the runner places an unfinished one from its step's name when it resumes it.
ALTER TABLE operations ADD COLUMN step_position INTEGER;
