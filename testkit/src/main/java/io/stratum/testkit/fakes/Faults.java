package io.stratum.testkit.fakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The calls a fake received, in order ({@code "start:orders"}), and the failures to inject into them: the n-th call of
 * a kind fails with a chosen exception, or "crashes" (an {@link Error} the workflow does not handle, as when the
 * control plane is killed in the middle of a step).
 */
public final class Faults {
    /** Stands for SIGKILL of the control plane: nothing after it runs, the operation stays where it was recorded. */
    public static final class Crash extends Error {
        public Crash(String where) {
            super("simulated crash in " + where);
        }
    }

    private final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final AtomicReference<Planned> planned = new AtomicReference<>();

    private record Planned(String call, int occurrence, Throwable failure) {}

    /** Every call of kind {@code call} throws {@code failure} until {@link #clear}. */
    public synchronized void failAlways(String call, RuntimeException failure) {
        always.put(call, failure);
    }

    private final Map<String, RuntimeException> always = new HashMap<>();

    /** The {@code occurrence}-th (1-based, counted from now) call of kind {@code call} throws {@code failure}. */
    public synchronized void failOn(String call, int occurrence, Throwable failure) {
        seen.remove(call);
        planned.set(new Planned(call, occurrence, failure));
    }

    public synchronized void clear() {
        planned.set(null);
        always.clear();
    }

    /** Records {@code call} on {@code instance}, then throws when a failure was planned for it. */
    public synchronized void call(String call, String instance) {
        calls.add(call + ":" + instance);
        int n = seen.merge(call, 1, Integer::sum);
        if (always.containsKey(call)) throw always.get(call);
        Planned p = planned.get();
        if (p != null && p.call().equals(call) && p.occurrence() == n) {
            planned.set(null);
            if (p.failure() instanceof RuntimeException r) throw r;
            throw (Error) p.failure();
        }
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** How many times {@code call} was made on {@code instance}. */
    public synchronized long count(String call, String instance) {
        return calls.stream().filter((call + ":" + instance)::equals).count();
    }

    public synchronized void forget() {
        calls.clear();
        seen.clear();
    }
}
