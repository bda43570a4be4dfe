package io.stratum.server.security;

import io.stratum.core.port.Envelope;
import io.stratum.core.secret.IntegrityException;
import io.stratum.core.secret.SealedValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption: every sealed value gets its own 256-bit data key (AES-256-GCM, random 96-bit nonce), and that
 * data key is wrapped by the master key. Both layers authenticate the associated data (secret name and version), so a
 * flipped byte, a truncated value or a value moved to another secret fails instead of returning garbage.
 */
public final class MasterKeyring implements Envelope {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Sealers hold it shared, from sealing to committing; a rotation holds it alone (see {@link Envelope#sealing}). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock rotationLock = new java.util.concurrent.locks.ReentrantReadWriteLock(true);
    private volatile String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    public MasterKeyring(MasterKey current) {
        add(current);
        currentId = idOf(current);
    }

    @Override
    public <T> T sealing(java.util.function.Supplier<T> work) {
        rotationLock.readLock().lock();
        try {
            return work.get();
        } finally {
            rotationLock.readLock().unlock();
        }
    }

    /** Runs a rotation: no sealing is under way and none starts until it is done. */
    public <T> T exclusive(java.util.function.Supplier<T> rotation) {
        rotationLock.writeLock().lock();
        try {
            return rotation.get();
        } finally {
            rotationLock.writeLock().unlock();
        }
    }

    /** Also accepts values wrapped by {@code other} (a key being rotated in or out). */
    public synchronized void add(MasterKey other) {
        keys.put(idOf(other), other.secretKey());
    }

    public synchronized void remove(String keyId) {
        if (keyId.equals(currentId)) throw new IllegalStateException("cannot forget the current master key");
        keys.remove(keyId);
    }

    /** Makes {@code id} (already added) the key new values are wrapped with. */
    public synchronized void use(String id) {
        if (!keys.containsKey(id)) throw new IllegalStateException("master key " + id + " is not loaded");
        currentId = id;
    }

    public String currentId() {
        return currentId;
    }

    /** A key's id: the first 16 hex digits of SHA-256 of the key (identifies it without revealing it). */
    public static String idOf(MasterKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.secretKey().getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SealedValue seal(byte[] plaintext, String aad) {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        String id = currentId;
        byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), plaintext, "value:" + aad, null);
        byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, key(id), dataKey, "key:" + aad, null);
        return new SealedValue(id, wrapped, ciphertext);
    }

    @Override
    public byte[] open(SealedValue value, String aad) {
        byte[] dataKey = gcm(Cipher.DECRYPT_MODE, key(value.keyId()), value.wrappedKey(), "key:" + aad, aad);
        return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), value.ciphertext(), "value:" + aad, aad);
    }

    @Override
    public SealedValue rewrap(SealedValue value, String aad) {
        byte[] dataKey = gcm(Cipher.DECRYPT_MODE, key(value.keyId()), value.wrappedKey(), "key:" + aad, aad);
        String id = currentId;
        return new SealedValue(id, gcm(Cipher.ENCRYPT_MODE, key(id), dataKey, "key:" + aad, null), value.ciphertext());
    }

    /** Ids of the loaded keys. */
    public synchronized java.util.Set<String> loadedIds() {
        return java.util.Set.copyOf(keys.keySet());
    }

    private synchronized SecretKey key(String id) {
        SecretKey k = keys.get(id);
        if (k == null) {
            throw new IntegrityException("this value was sealed under master key " + id + ", which is not this server's master key "
                    + "(" + currentId + "): restore the matching master.key");
        }
        return k;
    }

    /** AES-GCM with the nonce prepended; {@code subject} names what failed when a check fails (null when sealing). */
    private static byte[] gcm(int mode, SecretKey key, byte[] input, String aad, String subject) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] nonce = new byte[12];
                RANDOM.nextBytes(nonce);
                c.init(mode, key, new GCMParameterSpec(128, nonce));
                c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
                byte[] ct = c.doFinal(input);
                return ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
            }
            if (input.length < 12 + 16) throw new IntegrityException(subject + " is truncated: it failed its integrity check");
            c.init(mode, key, new GCMParameterSpec(128, input, 0, 12));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(input, 12, input.length - 12);
        } catch (AEADBadTagException e) {
            throw new IntegrityException(subject + " failed its integrity check: the stored value was altered, truncated or "
                    + "belongs to another secret; it was not decrypted");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }
}
