package io.stratum.server.security;

import io.stratum.core.auth.Principal;
import io.stratum.core.home.StratumHome;
import io.stratum.core.service.Recorder;
import io.stratum.core.secret.SecretVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the master key without downtime: the new key is written beside the old one ({@code master.key.next}), new
 * values are sealed with it at once, every stored data key is rewrapped in one transaction, and only after that commit
 * does the new key replace {@code master.key} (the old key is then forgotten). A rotation interrupted at any point is
 * rolled forward on the next start, because both keys are still on disk until the end.
 */
public final class MasterKeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyRotation.class);
    private final StratumHome home;
    private final MasterKeyring ring;
    private final Recorder recorder;

    public MasterKeyRotation(StratumHome home, MasterKeyring ring, Recorder recorder) {
        this.home = home;
        this.ring = ring;
        this.recorder = recorder;
    }

    public String currentKeyId() {
        return ring.currentId();
    }

    public static Path nextFile(StratumHome home) {
        return home.root().resolve("master.key.next");
    }

    /** The keyring for this home: master.key, plus a pending rotation's next key (which is then finished). */
    public static MasterKeyring load(StratumHome home) {
        MasterKeyring ring = new MasterKeyring(MasterKey.loadOrCreate(home.masterKey()));
        if (Files.exists(nextFile(home))) ring.add(MasterKey.loadOrCreate(nextFile(home)));
        return ring;
    }

    /** Finishes a rotation a crash interrupted (rolls forward). */
    public void resumeIfInterrupted() {
        if (Files.exists(nextFile(home))) {
            LOG.warn("finishing an interrupted master-key rotation");
            finish(MasterKey.loadOrCreate(nextFile(home)), recorderPrincipal());
        }
    }

    /** Rotates to a new master key; returns how many stored values were rewrapped. */
    public synchronized int rotate(Principal p) {
        p.requireAdmin("rotating the master key");
        MasterKey next = Files.exists(nextFile(home)) ? MasterKey.loadOrCreate(nextFile(home)) : MasterKey.generate();
        if (!Files.exists(nextFile(home))) next.writeTo(nextFile(home));
        return finish(next, p);
    }

    /** Under the keyring's exclusive lock: values sealed meanwhile are committed before, or sealed under the new key after. */
    private int finish(MasterKey next, Principal p) {
        return ring.exclusive(() -> finishExclusively(next, p));
    }

    private int finishExclusively(MasterKey next, Principal p) {
        String oldId = ring.currentId();
        String newId = MasterKeyring.idOf(next);
        ring.add(next);
        ring.use(newId);
        int count = recorder.record(p, tx -> {
            List<SecretVersion> all = tx.secrets().allVersions();
            for (SecretVersion v : all) {
                if (!v.sealed().keyId().equals(newId)) tx.secrets().replaceSealed(v.name(), v.version(), ring.rewrap(v.sealed(), v.aad()));
            }
            // backups' archive keys too, or old backups would become unreadable with the old master key gone
            var backups = tx.backups().list(null);
            for (var b : backups) {
                if (!b.dataKey().keyId().equals(newId)) tx.backups().update(b.withDataKey(ring.rewrap(b.dataKey(), b.keyContext())));
            }
            int rewrapped = all.size() + backups.size();
            return new Recorder.Change<>(rewrapped, "master-key", null, "master-key.rotate",
                    all.size() + " secret and " + backups.size() + " backup data keys rewrapped; new key " + newId + " replaces " + oldId);
        });
        try {
            Files.move(nextFile(home), home.masterKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("rewrapped under the new key, but cannot replace " + home.masterKey()
                    + "; it is in " + nextFile(home) + " and the next start finishes the rotation", e);
        }
        for (String id : ring.loadedIds()) {
            if (!id.equals(newId)) ring.remove(id);
        }
        return count;
    }

    private static Principal recorderPrincipal() {
        return io.stratum.core.reconcile.SystemActor.PRINCIPAL;
    }
}
