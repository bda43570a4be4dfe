package io.stratum.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Backup objects as stored, for tests: the header of a format-2 object (the per-object HKDF salt and nonce prefix of
 * Tink's AES-GCM-HKDF streaming AEAD), and a writer of format 1 (chunks sealed with the data key directly, the chunk's
 * index as nonce) standing in for a backup made before format 2, written independently of the production code.
 */
public final class BackupObjects {
    private static final byte[] MAGIC = {'S', 'B', 'K', '2'};
    private static final int SALT_BYTES = 32;
    private static final int NONCE_PREFIX_BYTES = 7;
    private static final int FORMAT1_CHUNK = 1 << 20;

    private BackupObjects() {}

    /** What determines a format-2 object's key and nonces, besides the backup's data key and the object's name. */
    public record Header(String salt, String noncePrefix) {}

    /** The header of the format-2 object in {@code file}; throws when it is not one. */
    public static Header header(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return header(in.readNBytes(MAGIC.length + 1 + SALT_BYTES + NONCE_PREFIX_BYTES));
        }
    }

    public static Header header(byte[] start) {
        if (start.length < MAGIC.length + 1 + SALT_BYTES + NONCE_PREFIX_BYTES || !Arrays.equals(Arrays.copyOf(start, 4), MAGIC)) {
            throw new IllegalArgumentException("not a format-2 backup object");
        }
        int headerLength = start[4] & 0xff;
        if (headerLength != 1 + SALT_BYTES + NONCE_PREFIX_BYTES) throw new IllegalArgumentException("unexpected header length " + headerLength);
        HexFormat hex = HexFormat.of();
        return new Header(hex.formatHex(start, 5, 5 + SALT_BYTES), hex.formatHex(start, 5 + SALT_BYTES, 5 + SALT_BYTES + NONCE_PREFIX_BYTES));
    }

    /** {@code plain} sealed in format 1 with {@code dataKey} for {@code context} (a backup id, or {@code ID#manifest}). */
    public static byte[] format1(byte[] dataKey, String context, byte[] plain) {
        try {
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(stored);
            int chunks = Math.max(1, (plain.length + FORMAT1_CHUNK - 1) / FORMAT1_CHUNK);
            for (int i = 0; i < chunks; i++) {
                int from = Math.min(plain.length, i * FORMAT1_CHUNK);
                int to = Math.min(plain.length, from + FORMAT1_CHUNK);
                boolean last = i == chunks - 1;
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(i).array();
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, nonce));
                c.updateAAD((context + ":" + i + ":" + (last ? "last" : "more")).getBytes(StandardCharsets.UTF_8));
                byte[] sealed = c.doFinal(plain, from, to - from);
                out.writeInt(sealed.length);
                out.write(sealed);
            }
            return stored.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
