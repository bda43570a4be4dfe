package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.reconcile.InstanceLocks;
import io.stratum.core.reconcile.InstanceWorkflow;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.user.ManagedUser;
import io.stratum.core.user.ManagedUser.Access;
import io.stratum.core.user.UserCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Database users Stratum creates for an instance ({@code db user}), since a tenant's master user cannot create roles or
 * accounts itself. A user is recorded with its secret, then made to exist in the engine under the instance's lock; if
 * the engine refuses, the record and secret go again. The engine only ever receives a hash of the password.
 */
public final class ManagedUserService {
    /** Users per instance. */
    public static final int MAX_USERS = 50;
    private static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    private static final Pattern KEY_PATTERN = Pattern.compile("^[A-Za-z0-9_:./*?{}-]{1,200}$");
    private static final Set<String> RESERVED_USERS = Set.of("root", "postgres", "default", "public", "admin", "mysql", "replication",
            "all", "sameuser", "samerole", "samegroup");
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final SecretService secrets;
    private final InstanceWorkflow workflow;
    private final InstanceLocks locks;
    private final InstanceService instances;

    public ManagedUserService(Recorder recorder, EngineRegistry engines, SecretService secrets, InstanceWorkflow workflow,
                              InstanceLocks locks, InstanceService instances) {
        this.recorder = recorder;
        this.engines = engines;
        this.secrets = secrets;
        this.workflow = workflow;
        this.locks = locks;
        this.instances = instances;
    }

    /** {@code db user create}: null fields take their defaults (the instance's database, {@code read}, every key). */
    public record CreateRequest(String name, String database, String access, String keys) {}

    public ManagedUser create(Principal p, String instanceName, CreateRequest r) {
        Instance i = instances.find(instanceName);
        InstanceService.requireWrite(p, i, "create database users");
        InstanceService.requirePrimary(i, "create users");
        EngineProvider engine = engines.get(i.spec().engine());
        ManagedUser user = validate(i.spec(), engine, r, instances.adminLogin(i));
        String password = Credentials.password(32);
        return underLock(i.name(), () -> {
            recorder.record(p, tx -> {
                Instance cur = requireRunning(tx.instances().find(i.name()).orElseThrow(() -> notFound(i.name())));
                if (tx.users().list(i.name()).size() >= MAX_USERS) {
                    throw new ConflictException("quota-exceeded", "instance '" + i.name() + "' already has " + MAX_USERS
                            + " users: delete one first ('stratum db user list --instance " + i.name() + "')");
                }
                if (!tx.users().insert(user)) {
                    throw new ConflictException("already-exists", "instance '" + i.name() + "' already has a user '" + user.name() + "'");
                }
                Map<String, String> tags = new java.util.TreeMap<>(Credentials.tags(cur.spec(), "user", true));
                tags.put("user", user.name());
                secrets.createManaged(tx, Credentials.userSecret(cur.spec(), user.name()),
                        Credentials.userValue(cur.spec(), instances.endpointHost(), user, password), tags);
                return new Recorder.Change<>(null, "instance/" + i.name(), cur.spec().stack(), "db-user.create", describe(user));
            });
            try {
                engine.applyUsers(workflow.context(i));
            } catch (RuntimeException e) {
                forgetAfterFailure(i, user, e);
                throw new ConflictException("engine-refused", "the engine did not take user '" + user.name() + "', so it was not created: "
                        + message(e));
            }
            event(i, "db-user.created", describe(user) + ", password in secret " + Credentials.userSecret(i.spec(), user.name()));
            workflow.refreshReplicaUsers(i.name());
            return user;
        });
    }

    public List<ManagedUser> list(Principal p, String instanceName) {
        Instance i = instances.get(p, instanceName);
        return recorder.store().read(tx -> tx.users().list(i.name()));
    }

    public ManagedUser get(Principal p, String instanceName, String name) {
        Instance i = instances.get(p, instanceName);
        return recorder.store().read(tx -> tx.users().find(i.name(), name)).orElseThrow(() -> userNotFound(i.name(), name));
    }

    /** {@code db user delete NAME --instance I --confirm NAME}: its sessions end, what it owned goes to the master user. */
    public void delete(Principal p, String instanceName, String name, String confirm) {
        Instance i = instances.find(instanceName);
        InstanceService.requireWrite(p, i, "delete database users");
        ManagedUser user = recorder.store().read(tx -> tx.users().find(i.name(), name)).orElseThrow(() -> userNotFound(i.name(), name));
        if (!name.equals(confirm)) {
            throw new ConflictException("confirmation-required", "deleting user '" + name + "' of '" + i.name() + "' ends its sessions and "
                    + "its logins: repeat its name with --confirm " + name);
        }
        underLock(i.name(), () -> {
            Instance cur = requireRunning(workflow.load(i.name()).orElseThrow(() -> notFound(i.name())));
            InstanceContext ctx = workflow.context(cur);
            engines.get(cur.spec().engine()).dropUser(without(ctx, name), name);
            recorder.record(p, tx -> {
                tx.users().delete(i.name(), name);
                tx.secrets().delete(Credentials.userSecret(cur.spec(), name));
                return new Recorder.Change<>(null, "instance/" + i.name(), cur.spec().stack(), "db-user.deleted", describe(user));
            });
            workflow.refreshReplicaUsers(i.name());
            return null;
        });
    }

    /** A new password: staged in the secret store, set in the engine, then made current; undone if the engine refuses it. */
    public ManagedUser rotatePassword(Principal p, String instanceName, String name) {
        Instance i = instances.find(instanceName);
        InstanceService.requireWrite(p, i, "rotate database user passwords");
        InstanceService.requirePrimary(i, "rotate user passwords");
        ManagedUser user = recorder.store().read(tx -> tx.users().find(i.name(), name)).orElseThrow(() -> userNotFound(i.name(), name));
        String secret = Credentials.userSecret(i.spec(), name);
        return underLock(i.name(), () -> {
            Instance cur = requireRunning(workflow.load(i.name()).orElseThrow(() -> notFound(i.name())));
            EngineProvider engine = engines.get(cur.spec().engine());
            String staged = secrets.stagePending(secret, () -> Credentials.userValue(cur.spec(), instances.endpointHost(), user,
                    Credentials.password(32)));
            try {
                engine.applyUsers(workflow.context(cur, Map.of(name, Credentials.password(staged))));
            } catch (RuntimeException e) {
                secrets.discardPending(secret);
                try {
                    engine.applyUsers(workflow.context(cur));
                } catch (RuntimeException again) {
                    // the previous password is what the store holds; the next apply sets it
                }
                throw new ConflictException("engine-refused", "the engine did not take the new password of '" + name
                        + "'; the previous one still works: " + message(e));
            }
            recorder.record(p, tx -> {
                secrets.promotePending(tx, secret);
                return new Recorder.Change<>(null, "instance/" + i.name(), cur.spec().stack(), "db-user.password-rotated",
                        name + ": secret " + secret + " has a new current version");
            });
            workflow.refreshReplicaUsers(i.name());
            return user;
        });
    }

    /** The secret that holds a user's credentials. */
    public String secretName(Principal p, String instanceName, String name) {
        return Credentials.userSecret(instances.get(p, instanceName).spec(), name);
    }

    private ManagedUser validate(InstanceSpec spec, EngineProvider engine, CreateRequest r, String adminLogin) {
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "'" + r.name() + "' is invalid: use lowercase letters, digits and _ (1-63, not starting "
                    + "with a digit), e.g. reporting"));
        } else if (r.name().equals(spec.masterUser()) || r.name().equals(adminLogin) || r.name().startsWith("stratum")
                || r.name().startsWith("pg_") || r.name().startsWith("st_") || RESERVED_USERS.contains(r.name())) {
            errors.add(new FieldError("name", "'" + r.name() + "' is reserved (the master user, Stratum's admin login, root, postgres, "
                    + "default, public, admin, mysql, replication, stratum*, pg_*): choose another name"));
        }
        String database = null;
        if (engine.usersHaveDatabases()) {
            database = r.database() == null ? spec.database() : r.database();
            engine.databaseProblem(database).ifPresent(why -> errors.add(new FieldError("database", why)));
        } else if (r.database() != null) {
            errors.add(new FieldError("database", spec.engine() + " users have no database of their own: limit their keys with --keys PATTERN"));
        }
        Access access = r.access() == null ? Access.READ : Access.parse(r.access());
        if (access == null) errors.add(new FieldError("access", "'" + r.access() + "' is not read, write or owner"));
        String keys = null;
        if (engine.usersHaveKeyPatterns()) {
            keys = r.keys() == null ? "*" : r.keys();
            if (!KEY_PATTERN.matcher(keys).matches()) {
                errors.add(new FieldError("keys", "'" + keys + "' is not a key pattern: use letters, digits and _ : . / - { } with * and ? "
                        + "as wildcards, e.g. 'orders:*'"));
            }
        } else if (r.keys() != null) {
            errors.add(new FieldError("keys", spec.engine() + " users are limited by database, not by key pattern: use --database"));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return new ManagedUser(spec.name(), r.name(), database, access, keys, recorder.clock().instant());
    }

    private void forgetAfterFailure(Instance i, ManagedUser user, RuntimeException cause) {
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            tx.users().delete(i.name(), user.name());
            tx.secrets().delete(Credentials.userSecret(i.spec(), user.name()));
            return new Recorder.Change<>(null, "instance/" + i.name(), i.spec().stack(), "db-user.create-failed",
                    user.name() + ": " + message(cause));
        });
        try {
            EngineProvider engine = engines.get(i.spec().engine());
            engine.dropUser(workflow.context(i), user.name());
        } catch (RuntimeException ignored) {
            // nothing of it may have been made
        }
    }

    private static InstanceContext without(InstanceContext ctx, String name) {
        List<UserCredentials> rest = ctx.managedUsers().stream().filter(u -> !u.name().equals(name)).toList();
        return new InstanceContext(ctx.spec(), ctx.instanceDir(), ctx.templatesDir(), ctx.bindAddress(), ctx.connectHost(), ctx.users(),
                ctx.masterPassword(), ctx.adminSecret(), ctx.ingress(), rest);
    }

    private static Instance requireRunning(Instance i) {
        if (i.status() != InstanceStatus.AVAILABLE && i.status() != InstanceStatus.STORAGE_FULL) {
            throw new ConflictException("invalid-status", "instance '" + i.name() + "' is " + i.status().wireName()
                    + ": database users change only while it is available");
        }
        return i;
    }

    /** Runs {@code work} holding the instance's lock (operations and supervision wait); 409 when it stays busy. */
    private <T> T underLock(String instance, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.of(instance);
        try {
            if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                throw new ConflictException("busy", "instance '" + instance + "' is busy with an operation: try again when it is done "
                        + "('stratum op list')");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("busy", "interrupted while waiting for instance '" + instance + "'");
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void event(Instance i, String action, String detail) {
        recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + i.name(), i.spec().stack(), action, detail));
    }

    private static String describe(ManagedUser u) {
        return u.name() + " (" + u.access().wireName() + (u.database() != null ? " on database " + u.database() : "")
                + (u.keyPattern() != null ? " on keys " + u.keyPattern() : "") + ")";
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("instance '" + name + "' does not exist (see 'stratum db list')");
    }

    private static NotFoundException userNotFound(String instance, String name) {
        return new NotFoundException("instance '" + instance + "' has no user '" + name + "' (see 'stratum db user list --instance "
                + instance + "')");
    }
}
