package io.stratum.bench;

import java.nio.file.Path;
import java.util.Map;

/** A named end-to-end benchmark: Stratum against a baseline in the same run. */
interface Scenario {
    String name();

    /** Runs in {@code work} (a scratch directory) and returns the figures to record. */
    Map<String, Object> run(Path work) throws Exception;
}
