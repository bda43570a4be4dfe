package io.stratum.core.reconcile;

import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Modifications waiting for the next reboot, as RDS keeps them: {@code class} and {@code param.NAME}. Applying them
 * folds them into the spec and empties the list.
 */
public final class PendingModifications {
    public static final String CLASS = "class";
    public static final String PARAM = "param.";
    public static final String TLS = "tls";

    private PendingModifications() {}

    public static Instance apply(Instance instance, Instant now) {
        InstanceSpec spec = instance.spec();
        Map<String, String> params = new TreeMap<>(spec.params());
        for (var e : instance.pending().entrySet()) {
            if (e.getKey().equals(CLASS)) {
                spec = spec.withClass(InstanceClass.valueOf(e.getValue().toUpperCase(java.util.Locale.ROOT)));
            } else if (e.getKey().equals(TLS)) {
                spec = spec.withTls(e.getValue());
            } else if (e.getKey().startsWith(PARAM)) {
                params.put(e.getKey().substring(PARAM.length()), e.getValue());
            }
        }
        return instance.withSpec(spec.withParams(params), Map.of(), now);
    }
}
