package io.stratum.core.reconcile;

import io.stratum.core.instance.InstanceStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Places an operation stored before positions were recorded: it has only the name of the step it was in. A name found
 * once is that step. A restore drill plans a step twice (it applies the firewall before it starts and after it stops),
 * and its check moves the scratch instance to deleting between the two: a deleting instance is at the later one. A name
 * not in the plan starts the operation over (every step is idempotent), as the untyped runner did. An operation whose
 * recorded position no longer names its step (its plan gained steps in a later version) is placed by {@link #moved}.
 */
public final class LegacyPositions {
    private LegacyPositions() {}

    public static int position(InstancePlan plan, String stepName, InstanceStatus status) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            if (plan.at(i).wireName().equals(stepName)) found.add(i);
        }
        if (found.isEmpty()) return 0;
        return status == InstanceStatus.DELETING ? found.get(found.size() - 1) : found.get(0);
    }

    /**
     * Where step {@code stepName}, recorded at {@code recorded} in an older plan, is now: plans gain steps, so it is its
     * first occurrence at or after the old position (a restore into a new instance bootstraps before and after its load,
     * and one stored at the second must not load again), else its last one before; -1 when the plan has no such step.
     */
    public static int moved(InstancePlan plan, String stepName, int recorded) {
        int before = -1;
        for (int i = 0; i < plan.size(); i++) {
            if (!plan.at(i).wireName().equals(stepName)) continue;
            if (i >= recorded) return i;
            before = i;
        }
        return before;
    }
}
