package io.stratum.core.model;

/**
 * What one stack may use: instances, allocated storage (GiB, all its instances together) and operations running at once.
 * Every stack has the defaults until an admin sets its own ({@code stratum stack quota}).
 */
public record StackQuota(String stack, int maxInstances, int maxStorageGiB, int maxOperations) {
    public static final int DEFAULT_INSTANCES = 20;
    public static final int DEFAULT_STORAGE_GIB = 1000;
    public static final int DEFAULT_OPERATIONS = 2;

    public static StackQuota defaults(String stack) {
        return new StackQuota(stack, DEFAULT_INSTANCES, DEFAULT_STORAGE_GIB, DEFAULT_OPERATIONS);
    }
}
