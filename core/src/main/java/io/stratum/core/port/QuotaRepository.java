package io.stratum.core.port;

import io.stratum.core.model.StackQuota;
import java.util.Optional;

/** Quotas set for stacks (a stack without one has the defaults). */
public interface QuotaRepository {
    Optional<StackQuota> find(String stack);

    void save(StackQuota quota);
}
