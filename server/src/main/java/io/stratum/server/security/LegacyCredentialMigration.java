package io.stratum.server.security;

import io.stratum.core.instance.Instance;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.service.SecretService;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves instance credentials that earlier versions sealed into the instance row (AES-256-GCM under the master key,
 * {@code v1:} format) into the secret store, then clears the row. Runs at start; does nothing once done.
 */
public final class LegacyCredentialMigration {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyCredentialMigration.class);
    private final MetadataStore store;
    private final SecretService secrets;
    private final MasterKey key;
    private final String endpointHost;

    public LegacyCredentialMigration(MetadataStore store, SecretService secrets, MasterKey key, String endpointHost) {
        this.store = store;
        this.secrets = secrets;
        this.key = key;
        this.endpointHost = endpointHost;
    }

    public int run() {
        Map<String, List<String>> legacy = store.read(tx -> tx.instances().legacySealedCredentials());
        for (var e : legacy.entrySet()) {
            String name = e.getKey();
            store.inTransaction(tx -> {
                Instance i = tx.instances().find(name).orElseThrow();
                String master = open(e.getValue().get(0), "instance/" + name + "/master");
                if (tx.secrets().find(Credentials.masterSecret(i.spec())).isEmpty()) {
                    secrets.createManaged(tx, Credentials.masterSecret(i.spec()), Credentials.masterValue(i.spec(), endpointHost, master),
                            Credentials.tags(i.spec(), "master", true));
                }
                String sealedAdmin = e.getValue().get(1);
                if (sealedAdmin != null && tx.secrets().find(Credentials.adminSecret(i.spec())).isEmpty()) {
                    secrets.createManaged(tx, Credentials.adminSecret(i.spec()),
                            Credentials.adminValue(open(sealedAdmin, "instance/" + name + "/admin")),
                            Credentials.tags(i.spec(), "stratum-admin", false));
                }
                tx.instances().clearLegacySealedCredentials(name);
                return null;
            });
            LOG.info("moved the credentials of instance {} into the secret store", name);
        }
        return legacy.size();
    }

    private String open(String sealed, String context) {
        if (!sealed.startsWith("v1:")) throw new IllegalStateException("unknown sealed format for " + context);
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the legacy sealed credentials for " + context + ": " + e.getMessage());
        }
    }
}
