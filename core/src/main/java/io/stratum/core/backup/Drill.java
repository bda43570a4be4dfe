package io.stratum.core.backup;

import java.time.Instant;

/** The last restore drill of a backup: restored into a scratch instance and compared with its manifest (running until then). */
public record Drill(Status status, Instant at, long millis, String detail) {
    public enum Status {
        RUNNING, PASSED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
