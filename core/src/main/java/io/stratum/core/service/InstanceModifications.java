package io.stratum.core.service;

import io.stratum.core.model.OperationInput;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceRequests;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.instance.ModifyInstanceRequest;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.reconcile.PendingModifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Works out what a {@code db modify} changes (pure): what applies now, what waits for the next reboot (class and
 * static parameters, unless applied immediately), and whether the engine must restart.
 */
final class InstanceModifications {
    private final EngineRegistry engines;

    InstanceModifications(EngineRegistry engines) {
        this.engines = engines;
    }

    record Result(InstanceSpec spec, Map<String, String> pending, OperationInput.Modify input, String summary) {}

    Result plan(Instance current, ModifyInstanceRequest r) {
        EngineProvider engine = engines.get(current.spec().engine());
        List<FieldError> errors = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        boolean immediate = Boolean.TRUE.equals(r.applyImmediately());
        boolean stopped = current.status() == InstanceStatus.STOPPED;
        boolean now = immediate || stopped;
        InstanceSpec spec = current.spec();
        Map<String, String> pending = new TreeMap<>(current.pending());

        if (r.instanceClass() != null) {
            try {
                InstanceClass cls = InstanceClass.parse("class", r.instanceClass());
                if (cls != spec.instanceClass() || pending.containsKey(PendingModifications.CLASS)) {
                    if (now) {
                        spec = spec.withClass(cls);
                        pending.remove(PendingModifications.CLASS);
                    } else {
                        pending.put(PendingModifications.CLASS, cls.wireName());
                    }
                    changes.add("class " + cls.wireName() + (now ? "" : " (pending reboot)"));
                }
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        boolean tlsNow = false;
        if (r.tls() != null) {
            if (!List.of("off", "prefer", "require").contains(r.tls())) {
                errors.add(new FieldError("tls", "'" + r.tls() + "' is not off, prefer or require"));
            } else if (!r.tls().equals(spec.tls()) || pending.containsKey(PendingModifications.TLS)) {
                if (now) {
                    tlsNow = !r.tls().equals(spec.tls());
                    spec = spec.withTls(r.tls());
                    pending.remove(PendingModifications.TLS);
                } else {
                    pending.put(PendingModifications.TLS, r.tls());
                }
                changes.add("tls " + r.tls() + (now ? "" : " (pending reboot)"));
            }
        }
        if (r.params() != null && !r.params().isEmpty()) {
            errors.addAll(engine.parameters().validate(r.params()));
            Map<String, String> params = new TreeMap<>(spec.params());
            for (var e : r.params().entrySet()) {
                ParamSpec ps = engine.parameters().find(e.getKey());
                if (ps == null) continue;
                if (ps.dynamic() || now) {
                    params.put(e.getKey(), e.getValue().trim());
                    pending.remove(PendingModifications.PARAM + e.getKey());
                    changes.add(e.getKey() + "=" + e.getValue().trim());
                } else {
                    pending.put(PendingModifications.PARAM + e.getKey(), e.getValue().trim());
                    changes.add(e.getKey() + "=" + e.getValue().trim() + " (static: pending reboot)");
                }
            }
            spec = spec.withParams(params);
        }
        if (r.storage() != null || r.maxStorage() != null) {
            int alloc = r.storage() == null ? spec.storageGiB() : r.storage();
            int max = r.maxStorage() == null ? Math.max(spec.maxStorageGiB(), alloc) : r.maxStorage();
            int before = errors.size();
            InstanceRequests.storageErrors(alloc, max, errors);
            if (errors.size() == before && alloc < spec.storageGiB()) {
                errors.add(new FieldError("storage", "storage can only grow: the instance has " + spec.storageGiB() + " GiB"));
            }
            if (alloc != spec.storageGiB() || max != spec.maxStorageGiB()) {
                changes.add("storage " + alloc + " GiB (max " + max + " GiB)");
                spec = spec.withStorage(alloc, max);
            }
        }
        boolean protection = r.deletionProtection() == null ? spec.deletionProtection() : r.deletionProtection();
        int retention = r.backupRetention() == null ? spec.backupRetentionDays() : r.backupRetention();
        String window = r.backupWindow() == null ? spec.backupWindow() : r.backupWindow();
        io.stratum.core.backup.BackupSchedule.policyErrors(retention, window, errors);
        if (protection != spec.deletionProtection()) changes.add("deletion protection " + (protection ? "on" : "off"));
        if (retention != spec.backupRetentionDays()) changes.add("backup retention " + retention + " days");
        if (!window.equals(spec.backupWindow())) changes.add("backup window " + window);
        spec = spec.withSettings(protection, retention, window);
        boolean ingress = false;
        if (r.securityGroups() != null) {
            int before = errors.size();
            InstanceRequests.securityGroupErrors(r.securityGroups(), errors);
            if (errors.size() == before && !r.securityGroups().equals(spec.securityGroups())) {
                spec = spec.withSecurityGroups(r.securityGroups());
                ingress = true;
                changes.add(r.securityGroups().isEmpty() ? "security groups none (loopback only)"
                        : "security groups " + String.join(", ", r.securityGroups()));
            }
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        if (changes.isEmpty()) {
            throw ValidationException.of("body", "nothing to modify: give --class, --storage, --max-storage, --param, "
                    + "--[no-]deletion-protection, --backup-retention, --backup-window, --tls or --security-group with a new value");
        }

        OperationInput.Modify input;
        if (stopped) {
            input = new OperationInput.Modify(true, false, Set.of(), ingress);
        } else {
            Set<String> changed = changedSettings(engine.settings(current.spec()), engine.settings(spec));
            boolean restart = tlsNow || changed.stream().anyMatch(n -> {
                ParamSpec ps = engine.parameters().find(n);
                return ps == null || !ps.dynamic();
            });
            input = new OperationInput.Modify(false, restart, restart ? Set.of() : changed, ingress);
        }
        return new Result(spec, pending, input, String.join(", ", changes));
    }

    static Set<String> changedSettings(Map<String, String> before, Map<String, String> after) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        names.removeIf(n -> java.util.Objects.equals(before.get(n), after.get(n)));
        return names;
    }
}
