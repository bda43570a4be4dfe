package io.stratum.core.instance;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.ValidationException;
import io.stratum.core.validation.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Validates create requests into a full spec (pure: no store, no processes); every bad field is reported at once. */
public final class InstanceRequests {
    public static final int DEFAULT_STORAGE_GIB = 5;
    public static final int MAX_STORAGE_GIB = 65536;
    private static final Pattern SQL_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

    private InstanceRequests() {}

    /** The normalised spec; {@code port} 0 means "allocate one". */
    public static InstanceSpec validate(CreateInstanceRequest r, EngineRegistry engines) {
        List<FieldError> errors = new ArrayList<>();
        nameError("name", r.name(), errors);
        EngineProvider engine = null;
        if (r.engine() == null) {
            errors.add(new FieldError("engine", "is required: one of " + String.join(", ", engines.all().stream()
                    .map(EngineProvider::name).toList()) + " (see 'stratum engine list')"));
        } else {
            try {
                engine = engines.resolve("engine", r.engine());
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        String version = null;
        if (engine != null) {
            List<String> versions = engine.versions();
            if (versions.isEmpty()) {
                errors.add(new FieldError("engine", engine.name() + " is not installed on this host: run 'bin/stratum setup'"));
            } else if (r.version() == null) {
                version = versions.get(0);
            } else if (versions.contains(r.version())) {
                version = r.version();
            } else {
                errors.add(new FieldError("version", "'" + r.version() + "' is not available for " + engine.name()
                        + ": use one of " + String.join(", ", versions)));
            }
        }
        InstanceClass cls = InstanceClass.SMALL;
        if (r.instanceClass() != null) {
            try {
                cls = InstanceClass.parse("class", r.instanceClass());
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        int storage = r.storage() == null ? DEFAULT_STORAGE_GIB : r.storage();
        int maxStorage = r.maxStorage() == null ? storage : r.maxStorage();
        storageErrors(storage, maxStorage, errors);
        int port = r.port() == null ? 0 : r.port();
        if (r.port() != null && (port < 1024 || port > 65535)) {
            errors.add(new FieldError("port", port + " is out of range: use 1024-65535, or omit it to get a free port"));
        }
        if (r.stack() == null && r.stage() != null && r.stage().contains("/")) {
            String[] address = r.stage().split("/", 2);
            errors.add(new FieldError("stage", "'" + r.stage() + "' is a stage's address: give it as --stack " + address[0] + " --stage "
                    + address[1]));
        } else if ((r.stack() == null) != (r.stage() == null)) {
            errors.add(new FieldError(r.stack() == null ? "stack" : "stage", "give both --stack and --stage, or neither"));
        } else if (r.stack() != null) {
            nameError("stack", r.stack(), errors);
            nameError("stage", r.stage(), errors);
        }
        String database = r.database() != null ? r.database() : engine != null ? engine.defaultDatabase() : "app";
        if (engine != null) engine.databaseProblem(database).ifPresent(why -> errors.add(new FieldError("database", why)));
        String masterUser = r.masterUser() == null ? "app" : r.masterUser();
        if (!SQL_NAME.matcher(masterUser).matches() || masterUser.startsWith("stratum") || masterUser.startsWith("pg_")
                || java.util.Set.of("root", "postgres", "default", "public", "all", "sameuser", "samerole", "samegroup", "replication")
                .contains(masterUser)) {
            errors.add(new FieldError("masterUser", "'" + masterUser + "' is invalid or reserved: use lowercase letters, digits "
                    + "and _, not root, postgres, default, public, all, replication, pg_* or stratum*"));
        }
        List<String> groups = r.securityGroups() == null ? List.of() : r.securityGroups();
        securityGroupErrors(groups, errors);
        int retention = r.backupRetention() == null ? 7 : r.backupRetention();
        String window = r.backupWindow() == null ? defaultWindow(r.name()) : r.backupWindow();
        io.stratum.core.backup.BackupSchedule.policyErrors(retention, window, errors);
        String tls = r.tls() == null ? "prefer" : r.tls();
        if (!List.of("off", "prefer", "require").contains(tls)) errors.add(new FieldError("tls", "'" + tls + "' is not off, prefer or require"));
        Map<String, String> params = r.params() == null ? Map.of() : r.params();
        if (engine != null) errors.addAll(engine.parameters().validate(params));
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return InstanceSpec.builder(r.name(), engine.name()).version(version).instanceClass(cls).storage(storage, maxStorage).port(port)
                .publicAccess(Boolean.TRUE.equals(r.publicAccess())).stage(r.stack(), r.stage()).database(database).masterUser(masterUser)
                .securityGroups(groups).backupPolicy(retention, window).deletionProtection(Boolean.TRUE.equals(r.deletionProtection()))
                .params(params).tls(tls).build();
    }

    public static void storageErrors(int storage, int maxStorage, List<FieldError> errors) {
        if (storage < 1 || storage > MAX_STORAGE_GIB) {
            errors.add(new FieldError("storage", storage + " GiB is out of range: use 1-" + MAX_STORAGE_GIB));
        } else if (maxStorage < storage) {
            errors.add(new FieldError("maxStorage", maxStorage + " GiB is below the allocated " + storage + " GiB: "
                    + "the maximum must be at least the storage"));
        } else if (maxStorage > MAX_STORAGE_GIB) {
            errors.add(new FieldError("maxStorage", maxStorage + " GiB is out of range: use up to " + MAX_STORAGE_GIB));
        }
    }

    /** Group names must be valid and listed once; whether they exist is checked against the store by the service. */
    public static void securityGroupErrors(List<String> groups, List<FieldError> errors) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String g : groups) {
            String p = ResourceNames.problem(g);
            if (p != null) errors.add(new FieldError("securityGroups", "'" + g + "': " + p));
            else if (!seen.add(g)) errors.add(new FieldError("securityGroups", "'" + g + "' is listed twice: give each group once"));
        }
        if (groups.size() > 5) errors.add(new FieldError("securityGroups", groups.size() + " groups: attach at most 5 (as RDS)"));
    }

    private static void nameError(String field, String name, List<FieldError> errors) {
        String p = ResourceNames.problem(name);
        if (p != null) errors.add(new FieldError(field, p));
    }

    /** A half-hour window chosen per instance (spread over 00:00-05:30 UTC by name), like RDS's default. */
    static String defaultWindow(String name) {
        int slot = Math.floorMod(name == null ? 0 : name.hashCode(), 12);
        int start = slot * 30;
        int end = start + 30;
        return String.format("%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60);
    }
}
