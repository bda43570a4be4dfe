package io.stratum.core.reconcile;

import static io.stratum.core.reconcile.Step.*;

import java.util.List;

/** Plans an instance operation as a list of steps: a pure function of what is asked. */
public final class InstancePlanner {
    /** Operation input key: the modification needs an engine restart (static settings or class changed now). */
    public static final String RESTART = "restart";
    /** Operation input key: comma-separated engine setting names to apply live and verify. */
    public static final String LIVE = "live";
    /** Operation input key: the instance is stopped; a modification only rewrites its configuration. */
    public static final String STOPPED = "stopped";

    private InstancePlanner() {}

    public static List<Step> plan(OperationType type, java.util.Map<String, String> input) {
        return switch (type) {
            case CREATE -> List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, START, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            case START -> List.of(WRITE_CONFIG, START, VERIFY, MARK_AVAILABLE);
            case STOP -> List.of(STOP, MARK_STOPPED);
            case REBOOT -> List.of(APPLY_PENDING, WRITE_CONFIG, STOP, START, VERIFY, MARK_AVAILABLE);
            case MODIFY -> Boolean.parseBoolean(input.getOrDefault(STOPPED, "false")) ? List.of(WRITE_CONFIG, MARK_STOPPED)
                    : Boolean.parseBoolean(input.getOrDefault(RESTART, "false"))
                    ? List.of(APPLY_PENDING, WRITE_CONFIG, STOP, START, VERIFY, MARK_AVAILABLE)
                    : List.of(WRITE_CONFIG, APPLY_LIVE, VERIFY, MARK_AVAILABLE);
            case DELETE -> List.of(STOP, REMOVE_DATA, MARK_DELETED);
            case ROTATE_PASSWORD -> List.of(STAGE_PASSWORD, WRITE_CONFIG, BOOTSTRAP, VERIFY, PROMOTE_PASSWORD);
        };
    }
}
