package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.CreateReplicaRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceRequests;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.port.StoreTx;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.validation.ResourceNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Read replicas (RDS CreateDBInstanceReadReplica, PromoteReadReplica): a replica is an instance with a source, in the
 * source's stack and stage, of its engine and version, with its master user and database; it is seeded from the source
 * and follows it until it is promoted or deleted.
 */
public final class ReplicaService {
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final SecretService secrets;
    private final InstanceService instances;
    private final io.stratum.core.reconcile.ReplicationMonitor monitor;

    public ReplicaService(Recorder recorder, EngineRegistry engines, SecretService secrets, InstanceService instances,
                          io.stratum.core.reconcile.ReplicationMonitor monitor) {
        this.monitor = monitor;
        this.recorder = recorder;
        this.engines = engines;
        this.secrets = secrets;
        this.instances = instances;
    }

    public Operation create(Principal p, CreateReplicaRequest r) {
        List<FieldError> errors = new ArrayList<>();
        String nameProblem = ResourceNames.problem(r.name());
        if (nameProblem != null) errors.add(new FieldError("name", nameProblem));
        if (r.source() == null) errors.add(new FieldError("source", "is required: the instance to replicate (see 'stratum db list')"));
        if (!errors.isEmpty()) throw new ValidationException(errors);
        Instance source = visibleSource(p, r.source());
        InstanceSpec s = source.spec();
        if (s.stack() == null) p.requireAdmin("creating a replica outside any stack");
        else p.requireWrite(s.stack(), "create read replicas");
        EngineProvider engine = engines.get(s.engine());
        sourceProblem(source, engine).ifPresent(problem -> errors.add(new FieldError("source", problem)));
        if (r.stack() != null && !r.stack().equals(s.stack())) {
            errors.add(new FieldError("stack", "a read replica lives in its source's stack: '" + r.source() + "' is in "
                    + (s.stack() == null ? "no stack" : "stack '" + s.stack() + "'") + "; omit --stack or name that one"));
        }
        InstanceClass cls = s.instanceClass();
        if (r.instanceClass() != null) {
            try {
                cls = InstanceClass.parse("class", r.instanceClass());
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        int port = r.port() == null ? 0 : r.port();
        if (r.port() != null && (port < 1024 || port > 65535)) {
            errors.add(new FieldError("port", port + " is out of range: use 1024-65535, or omit it to get a free port"));
        }
        List<String> groups = r.securityGroups() == null ? s.securityGroups() : r.securityGroups();
        InstanceRequests.securityGroupErrors(groups, errors);
        if (!errors.isEmpty()) throw new ValidationException(errors);
        InstanceSpec spec = s.toBuilder().name(r.name()).instanceClass(cls).port(port).securityGroups(groups).deletionProtection(false)
                .source(s.name()).build();
        engine.replicaProblem(s, spec).ifPresent(problem -> {
            throw ValidationException.of("class", problem);
        });
        return instances.insert(p, spec, new OperationInput.CreateReplica(s.name()), s.stack(), null, tx -> {
            Instance current = tx.instances().find(s.name()).orElseThrow(() -> ValidationException.of("source",
                    "instance '" + s.name() + "' does not exist (see 'stratum db list')"));
            requireAvailable(current);
            var existing = tx.secrets().find(Credentials.replicationSecret(s));
            if (existing.isEmpty()) {
                secrets.createManaged(tx, Credentials.replicationSecret(s), Credentials.replicationValue(Credentials.password(32)),
                        Credentials.tags(s, "replication", false));
            } else if (!existing.get().managed() || existing.get().tags().containsKey("stack")) {
                // a secret of that name made by a stack's operator would choose the replication login's password
                throw new ConflictException("secret-name-taken", "secret '" + Credentials.replicationSecret(s) + "' exists and is not "
                        + "Stratum's: it is where the replication login's password of '" + s.name() + "' goes; delete it, then "
                        + "create the replica again");
            }
        });
    }

    /**
     * RDS PromoteReadReplica: the replica stops following its source and takes writes, with a master secret of its own
     * (the same password, from then on rotated on its own); the source is untouched. Needs the replica's name typed again.
     */
    public Operation promote(Principal p, String name, String confirm) {
        Instance i = instances.find(name);
        InstanceService.requireWrite(p, i, "promote read replicas");
        if (!i.spec().isReplica()) {
            throw new ConflictException("not-a-replica", "instance '" + name + "' is not a read replica: only a replica can be promoted");
        }
        if (!name.equals(confirm)) {
            throw new ConflictException("confirmation-required", "promoting '" + name + "' ends its replication from '"
                    + i.spec().source() + "' for good: repeat its name with --confirm " + name);
        }
        return instances.transitionWith(p, name, new OperationInput.Promote(i.spec().source()), InstanceStatus.PROMOTING, "promote",
                (tx, x) -> {
                    if (!x.spec().isReplica()) throw new ConflictException("not-a-replica", "instance '" + name + "' is not a read replica");
                    return x;
                }, "stops following " + i.spec().source());
    }

    /** The source as the caller may see it: a missing or hidden one is a bad field (nothing is created). */
    private Instance visibleSource(Principal p, String name) {
        ResourceNames.require("source", name);
        return recorder.store().read(tx -> tx.instances().find(name)).filter(i -> p.sees(i.spec().stack()))
                .orElseThrow(() -> ValidationException.of("source", "instance '" + name + "' does not exist (see 'stratum db list')"));
    }

    private static java.util.Optional<String> sourceProblem(Instance source, EngineProvider engine) {
        InstanceSpec s = source.spec();
        if (s.isReplica()) {
            return java.util.Optional.of("'" + s.name() + "' is itself a read replica (of '" + s.source() + "'): replicas of replicas are "
                    + "not supported; create the replica from '" + s.source() + "'");
        }
        if (!engine.capabilities().contains(Capability.REPLICAS)) {
            return java.util.Optional.of(s.engine() + " instances have no read replicas yet");
        }
        return java.util.Optional.empty();
    }

    private static void requireAvailable(Instance source) {
        if (source.status() != InstanceStatus.AVAILABLE) {
            throw new ConflictException("invalid-status", "source '" + source.name() + "' is " + source.status().wireName()
                    + "; a read replica is created from an available instance (start it, or wait for its operation to end)");
        }
    }

    /** The read replicas of {@code name}, for {@code db show}. */
    public List<Instance> replicasOf(String name) {
        return recorder.store().read(tx -> tx.instances().replicasOf(name));
    }

    /** What was last observed of replica {@code name}'s replication (empty for a primary, or before the first look). */
    public java.util.Optional<io.stratum.core.reconcile.ReplicationMonitor.Observation> replication(String name) {
        return monitor.latest(name);
    }
}
