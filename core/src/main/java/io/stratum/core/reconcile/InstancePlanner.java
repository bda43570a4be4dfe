package io.stratum.core.reconcile;

import static io.stratum.core.reconcile.Step.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plans an instance operation as a list of steps: a pure function of what is asked. */
public final class InstancePlanner {
    /** Operation input key: the modification needs an engine restart (static settings or class changed now). */
    public static final String RESTART = "restart";
    /** Operation input key: comma-separated engine setting names to apply live and verify. */
    public static final String LIVE = "live";
    /** Operation input key: the instance is stopped; a modification only rewrites its configuration. */
    public static final String STOPPED = "stopped";
    /** Operation input key: the instance's security groups changed; both enforcement layers are updated. */
    public static final String INGRESS = "ingress";

    private InstancePlanner() {}

    public static List<Step> plan(OperationType type, Map<String, String> input) {
        return switch (type) {
            case CREATE -> input.containsKey(BackupSteps.DRILL)
                    ? List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, RESTORE_BACKUP, VERIFY,
                            CHECK_DRILL, STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED)
                    : input.containsKey(BackupSteps.BACKUP)
                    ? List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, RESTORE_BACKUP, VERIFY,
                            MARK_AVAILABLE)
                    : List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            // a start or reboot repairs the layout (and moves an instance of the shared OS user to its own) while the
            // engine is stopped, and re-applies the tenant's limits after it runs
            case START -> List.of(CREATE_DIRECTORIES, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, APPLY_INGRESS, VERIFY, MARK_AVAILABLE);
            case STOP -> List.of(STOP, MARK_STOPPED);
            case REBOOT -> List.of(APPLY_PENDING, STOP, CREATE_DIRECTORIES, WRITE_CONFIG, START, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            case MODIFY -> modify(input);
            case DELETE -> input.containsKey(BackupSteps.BACKUP) ? List.of(TAKE_BACKUP, STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED)
                    : List.of(STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED);
            case BACKUP -> List.of(TAKE_BACKUP, MARK_AVAILABLE);
            // the database is recreated by the restore: managed users get their rights on it again (bootstrap)
            case RESTORE -> List.of(TAKE_BACKUP, EMPTY_DATABASE, RESTORE_BACKUP, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            case ROTATE_PASSWORD -> List.of(STAGE_PASSWORD, WRITE_CONFIG, BOOTSTRAP, VERIFY, PROMOTE_PASSWORD);
        };
    }

    /** Security group changes apply at once (as in RDS): the kernel table after the config, the engine once it runs. */
    private static List<Step> modify(Map<String, String> input) {
        boolean ingress = flag(input, INGRESS);
        List<Step> steps = new ArrayList<>();
        if (flag(input, STOPPED)) {
            steps.add(WRITE_CONFIG);
            if (ingress) steps.add(APPLY_FIREWALL);
            steps.add(MARK_STOPPED);
            return List.copyOf(steps);
        }
        boolean restart = flag(input, RESTART);
        if (restart) steps.add(APPLY_PENDING);
        steps.add(WRITE_CONFIG);
        if (ingress) steps.add(APPLY_FIREWALL);
        steps.addAll(restart ? List.of(STOP, START) : List.of(APPLY_LIVE));
        if (ingress) steps.add(APPLY_INGRESS);
        steps.addAll(List.of(VERIFY, MARK_AVAILABLE));
        return List.copyOf(steps);
    }

    private static boolean flag(Map<String, String> input, String key) {
        return Boolean.parseBoolean(input.getOrDefault(key, "false"));
    }
}
