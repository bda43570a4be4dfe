package io.stratum.core.model;

/** The kinds of operation, with their wire names (e.g. {@code create-instance}) and whether the instance workflow runs them. */
public enum OperationType {
    CREATE("create-instance", true),
    START("start-instance", true),
    STOP("stop-instance", true),
    REBOOT("reboot-instance", true),
    MODIFY("modify-instance", true),
    DELETE("delete-instance", true),
    ROTATE_PASSWORD("rotate-password", true),
    BACKUP("create-backup", true),
    RESTORE("restore-instance", true),
    /** A read replica: seeded from its source, then following it. */
    CREATE_REPLICA("create-replica", true),
    /** A read replica made a standalone, writable instance (RDS PromoteReadReplica). */
    PROMOTE("promote-replica", true),
    /** A backup of an external database, dumped through its tunnel by the backup service (no workflow steps). */
    EXTERNAL_BACKUP("create-external-backup", false);

    private final String wireName;
    private final boolean instanceWorkflow;

    OperationType(String wireName, boolean instanceWorkflow) {
        this.wireName = wireName;
        this.instanceWorkflow = instanceWorkflow;
    }

    public String wireName() {
        return wireName;
    }

    /** Run (and resumed) by the instance workflow step by step. */
    public boolean instanceWorkflow() {
        return instanceWorkflow;
    }

    public static OperationType fromWire(String wire) {
        for (OperationType t : values()) {
            if (t.wireName.equals(wire)) return t;
        }
        throw new IllegalArgumentException("unknown operation type: " + wire);
    }
}
