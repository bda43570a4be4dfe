package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.backup.BackupPolicy;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.backup.DrillSchedule;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.port.StoreTx;
import io.stratum.core.validation.ResourceNames;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backup stores (admin only): a directory or an S3-compatible bucket, proven to work when added; the secret key goes
 * to the secret store. {@code default} is the built-in directory. Also each instance's backup policy (store, drills).
 */
public final class BackupStoreService {
    private final Recorder recorder;
    private final SecretService secrets;
    private final BackupArchives archives;
    private final Path defaultDirectory;

    public BackupStoreService(Recorder recorder, SecretService secrets, BackupArchives archives, Path defaultDirectory) {
        this.recorder = recorder;
        this.secrets = secrets;
        this.archives = archives;
        this.defaultDirectory = defaultDirectory;
    }

    /** {@code store add}: S3 when {@code endpoint} is given, else a directory; {@code create}: make a missing bucket or directory. */
    public record AddRequest(String name, String dir, String endpoint, String bucket, String region, String prefix, String accessKey,
                             String secretKey, boolean pathStyle, boolean create) {
        @Override
        public String toString() {
            return "AddRequest[" + name + ", secret redacted]";
        }
    }

    public BackupStore add(Principal p, AddRequest r) {
        p.requireAdmin("adding backup stores");
        ResourceNames.require("name", r.name());
        if (BackupStore.DEFAULT.equals(r.name())) throw ValidationException.of("name", "'default' is the built-in store: choose another name");
        BackupStore store = validate(r);
        try {
            archives.check(store, r.secretKey(), r.create());
        } catch (RuntimeException e) {
            throw ValidationException.of(store.type() == BackupStore.Type.S3 ? "s3Endpoint" : "dir", "store '" + r.name()
                    + "' does not work: " + rootMessage(e) + " (nothing was added; fix the location or credentials"
                    + (store.type() == BackupStore.Type.S3 ? ", or pass --create-bucket" : "") + ")");
        }
        return recorder.record(p, tx -> {
            if (!tx.backupStores().insert(store)) throw new ConflictException("already-exists", "backup store '" + r.name() + "' already exists");
            if (store.type() == BackupStore.Type.S3) {
                secrets.createManaged(tx, store.secretName(), io.stratum.core.secret.FlatJson.write(Map.of("secretKey", r.secretKey())),
                        Map.of("stratum:store", store.name()));
            }
            return new Recorder.Change<>(store, "store/" + store.name(), null, "store.added", store.type().wireName() + " " + store.describe());
        });
    }

    private BackupStore validate(AddRequest r) {
        List<FieldError> errors = new ArrayList<>();
        boolean s3 = r.endpoint() != null;
        if (s3 == (r.dir() != null)) errors.add(new FieldError("dir", "give either --dir PATH or --s3-endpoint URL"));
        if (s3) {
            try {
                URI u = URI.create(r.endpoint());
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("s3Endpoint", "'" + r.endpoint() + "' is not an http(s) URL, e.g. https://s3.eu-central-1.amazonaws.com"));
            }
            if (r.bucket() == null || !r.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                errors.add(new FieldError("bucket", "give --bucket with a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')"));
            }
            if (r.accessKey() == null || r.accessKey().isBlank()) errors.add(new FieldError("accessKey", "give --access-key"));
            if (r.secretKey() == null || r.secretKey().isBlank()) errors.add(new FieldError("secretKey", "give the secret key on stdin with --secret-key-stdin"));
        } else if (r.dir() != null && !Path.of(r.dir()).isAbsolute()) {
            errors.add(new FieldError("dir", "'" + r.dir() + "' is not an absolute path"));
        } else if (r.dir() != null && !r.create() && !java.nio.file.Files.isDirectory(Path.of(r.dir()))) {
            // a missing mount point would silently fill the root disk: it must exist unless the user asks for it
            errors.add(new FieldError("dir", "'" + r.dir() + "' does not exist: create or mount it first, or pass --create to make it "
                    + "here"));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        var now = recorder.clock().instant();
        return s3 ? new BackupStore(r.name(), BackupStore.Type.S3, r.endpoint(), r.bucket(), r.region(), r.prefix(), r.accessKey(), r.pathStyle(), now)
                : new BackupStore(r.name(), BackupStore.Type.DIRECTORY, Path.of(r.dir()).normalize().toString(), null, null, null, null, false, now);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        if (e instanceof java.net.UnknownHostException) return "the host name does not resolve (" + e.getMessage() + ")";
        if (e instanceof java.net.ConnectException) return "nothing answers at that address (" + e.getMessage() + ")";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The stores, {@code default} first. */
    public List<BackupStore> list(Principal p) {
        List<BackupStore> all = new ArrayList<>(List.of(builtIn()));
        all.addAll(recorder.store().read(tx -> tx.backupStores().list()));
        return all;
    }

    public BackupStore get(Principal p, String name) {
        ResourceNames.require("name", name);
        if (BackupStore.DEFAULT.equals(name)) return builtIn();
        return recorder.store().read(tx -> tx.backupStores().find(name)).orElseThrow(() -> notFound(name));
    }

    private BackupStore builtIn() {
        return new BackupStore(BackupStore.DEFAULT, BackupStore.Type.DIRECTORY, defaultDirectory.toString(), null, null, null, null, false, null);
    }

    /** Refused while it holds backups or an instance's backups go there; its secret key goes with it. */
    public void delete(Principal p, String name, String confirm) {
        p.requireAdmin("deleting backup stores");
        BackupStore s = get(p, name);
        if (BackupStore.DEFAULT.equals(name)) throw new ConflictException("built-in", "the default store cannot be deleted");
        if (!name.equals(confirm)) {
            throw new ConflictException("confirmation-required", "repeat the store's name with --confirm " + name);
        }
        recorder.record(p, tx -> {
            long held = tx.backups().list(null).stream().filter(b -> name.equals(b.store())).count();
            if (held > 0) {
                throw new ConflictException("in-use", "store '" + name + "' holds " + held + " backups: delete them first (see "
                        + "'stratum backup list')");
            }
            List<String> users = tx.backupStores().instancesUsing(name);
            if (!users.isEmpty()) {
                throw new ConflictException("in-use", "the backups of " + String.join(", ", users) + " go to store '" + name + "': move "
                        + "them first with 'stratum db modify NAME --backup-store OTHER'");
            }
            tx.backupStores().delete(name);
            tx.secrets().delete(s.secretName());
            return new Recorder.Change<>(null, "store/" + name, null, "store.deleted", s.describe() + " (its objects are untouched)");
        });
    }

    public BackupPolicy policy(String instance) {
        return recorder.store().read(tx -> tx.backupStores().policy(instance)).orElse(BackupPolicy.defaults(instance));
    }

    /** Sets the store and/or drill schedule (null keeps the current one), checked in the caller's transaction. */
    public static BackupPolicy change(StoreTx tx, String instance, String store, String drill) {
        BackupPolicy current = tx.backupStores().policy(instance).orElse(BackupPolicy.defaults(instance));
        String newStore = store == null ? current.store() : store;
        if (!BackupStore.DEFAULT.equals(newStore) && tx.backupStores().find(newStore).isEmpty()) {
            throw ValidationException.of("backupStore", "backup store '" + newStore + "' does not exist: add it with 'stratum store add "
                    + newStore + " ...' (see 'stratum store list')");
        }
        DrillSchedule newDrill = drill == null ? current.drill() : DrillSchedule.fromWire(drill).orElseThrow(() ->
                ValidationException.of("drill", "'" + drill + "' is not a drill schedule: use weekly, after-each or off"));
        BackupPolicy p = new BackupPolicy(instance, newStore, newDrill);
        tx.backupStores().savePolicy(p);
        return p;
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("backup store '" + name + "' does not exist (see 'stratum store list')");
    }
}
