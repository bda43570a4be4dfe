package io.stratum.backup;

import io.stratum.core.secret.IntegrityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Format 1's AES-256-GCM chunks, for reading old backups only: the nonce is the chunk's index, and the associated data
 * names the object, the index and whether the chunk is the last one, so a chunk moved, dropped, taken from another
 * backup, or a stream cut after a non-final chunk fails authentication.
 */
final class ChunkCipher {
    static final int TAG_BYTES = 16;
    private final SecretKeySpec key;
    private final String backupId;

    ChunkCipher(byte[] dataKey, String backupId) {
        if (dataKey.length != 32) throw new IllegalArgumentException("a backup data key has 32 bytes");
        this.key = new SecretKeySpec(dataKey, "AES");
        this.backupId = backupId;
    }

    byte[] open(long index, boolean last, byte[] sealed) {
        try {
            return cipher(Cipher.DECRYPT_MODE, index, last).doFinal(sealed);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IntegrityException("backup " + backupId + ": chunk " + index + " failed authentication (damaged, missing, "
                    + "reordered, cut short or from another backup)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private Cipher cipher(int mode, long index, boolean last) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
        c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        c.updateAAD((backupId + ":" + index + ":" + (last ? "last" : "more")).getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
