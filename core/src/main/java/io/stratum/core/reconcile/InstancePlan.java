package io.stratum.core.reconcile;

import io.stratum.core.model.OperationInput;
import java.util.List;

/**
 * An instance operation's steps, in order, and what undoes or records a failure at each of them. Steps are identified by
 * their position: the same kind of step may appear twice (a drill applies the firewall before it starts and after it stops).
 */
public record InstancePlan(OperationInput input, List<Step> steps) {
    /** What happens when a step fails: the instance's and operation's fate. */
    public enum Recovery {
        /** The operation and the instance are marked failed; the user inspects, retries or deletes (as in RDS). */
        MARK_FAILED,
        /** A backup failed before anything changed: the backup is marked failed, the instance stays available. */
        FAIL_BACKUP_ONLY,
        /** An interrupted create that cannot finish: everything it made is removed. */
        UNDO_CREATE,
        /** A restore drill that failed: the drill is recorded as failed and its scratch instance removed. */
        FAIL_DRILL,
        /** A password rotation: the staged password is discarded and the previous one stays in force. */
        UNDO_ROTATION
    }

    public InstancePlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("a plan has steps");
    }

    public Step at(int position) {
        return steps.get(position);
    }

    public int size() {
        return steps.size();
    }

    /**
     * Where a (resumed) operation carries on: the step it was in, run again (steps are idempotent), or the first. A
     * restore resumes at the step that empties the database before it, so a load cut short starts again on a clean one.
     */
    public int resumeFrom(int recordedPosition) {
        if (recordedPosition >= steps.size()) throw new IllegalStateException("position " + recordedPosition + " is beyond the plan of "
                + input.type().wireName() + " (" + steps.size() + " steps)");
        int from = Math.max(0, recordedPosition);
        if (from > 0 && steps.get(from) == Step.RESTORE_BACKUP && steps.get(from - 1) == Step.EMPTY_DATABASE) return from - 1;
        return from;
    }

    /**
     * The position from which an engine that stages dumps may unpack the restore's dump in the background, while the
     * steps before the load run, or -1 when no load follows (none in the plan, or it is behind {@code from}). A new
     * instance stages from the step after its directories exist; an existing one only from the step that empties its
     * database, so that the dump never shares the disk with the live data and a pre-restore snapshot at once.
     */
    public int stagingFrom(int from) {
        int load = -1;
        for (int i = Math.max(0, from); i < steps.size() && load < 0; i++) if (steps.get(i) == Step.RESTORE_BACKUP) load = i;
        if (load < 0) return -1;
        int start = load;
        for (int i = 0; i < load; i++) {
            if (steps.get(i) == Step.CREATE_DIRECTORIES) start = Math.min(start, i + 1);
        }
        if (start == load && load > 0 && steps.get(load - 1) == Step.EMPTY_DATABASE) start = load - 1;
        return Math.max(start, Math.max(0, from));
    }

    /** True when the step at {@code position} is the one named {@code stepName} (a stored position still means what it meant). */
    public boolean stepAt(int position, String stepName) {
        return position >= 0 && position < steps.size() && steps.get(position).wireName().equals(stepName);
    }

    /** What a failure at {@code position} leads to; {@code resumed}: the operation was interrupted by a control-plane restart. */
    public Recovery recoveryAt(int position, boolean resumed) {
        return switch (input) {
            case OperationInput.Create c when c.drill() -> Recovery.FAIL_DRILL;
            case OperationInput.Create c when resumed -> Recovery.UNDO_CREATE;
            case OperationInput.CreateReplica c when resumed -> Recovery.UNDO_CREATE;
            case OperationInput.RotatePassword r -> Recovery.UNDO_ROTATION;
            // a backup, a final snapshot, a pre-restore snapshot: nothing was changed before it, the instance stays in service
            default -> position >= 0 && position < steps.size() && steps.get(position) == Step.TAKE_BACKUP ? Recovery.FAIL_BACKUP_ONLY
                    : Recovery.MARK_FAILED;
        };
    }
}
