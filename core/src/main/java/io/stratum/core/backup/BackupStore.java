package io.stratum.core.backup;

import java.time.Instant;

/**
 * Where backup archives go: a local directory or an S3-compatible bucket. An S3 store's secret key is kept in the secret
 * store under {@link #secretName()}, never here. The built-in {@code default} store is the directory
 * {@code STRATUM_HOME/backups}.
 */
public record BackupStore(String name, Type type, String location, String bucket, String region, String prefix, String accessKey,
                          boolean pathStyle, Instant createdAt) {
    public static final String DEFAULT = "default";

    public enum Type {
        DIRECTORY, S3;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String secretName() {
        return secretName(name);
    }

    public static String secretName(String store) {
        return "stratum/stores/" + store + "/secret-key";
    }

    /** Where it is, for people: the directory, or the bucket URL with its prefix. */
    public String describe() {
        return type == Type.DIRECTORY ? location : location.replaceAll("/+$", "") + "/" + bucket + (prefix == null ? "" : "/" + prefix);
    }
}
