package io.stratum.core.reconcile;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.Role;
import java.util.Set;

/** The control plane itself, as the actor of events it causes (supervision, autoscaling, recovery). */
public final class SystemActor {
    public static final Principal PRINCIPAL = new Principal("system", "stratum", Role.ADMIN, Set.of());

    private SystemActor() {}
}
