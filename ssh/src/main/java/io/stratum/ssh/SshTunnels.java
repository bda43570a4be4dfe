package io.stratum.ssh;

import io.stratum.core.external.SshTarget;
import io.stratum.core.port.Tunnels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSH tunnels on the Apache MINA SSHD client: key login, the server's host key checked against the pinned one, a local
 * forward on 127.0.0.1, keepalives every 5 s, and reconnects with backoff (at most 2 s apart) on the same local port
 * when the session drops.
 */
public final class SshTunnels implements Tunnels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshTunnels.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AttributeRepository.AttributeKey<String> EXPECTED = new AttributeRepository.AttributeKey<>();
    private static final AttributeRepository.AttributeKey<Map<String, String>> OFFERED = new AttributeRepository.AttributeKey<>();
    private final SshClient client = SshClient.setUpDefaultClient();
    private final Map<String, Managed> tunnels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssh-tunnels");
        t.setDaemon(true);
        return t;
    });

    private final class Managed {
        final String name;
        final SshTarget target;
        final String privateKey;
        final String remoteHost;
        final int remotePort;
        final BiConsumer<String, String> events;
        volatile int localPort;
        volatile ClientSession session;
        volatile boolean closed;
        int failures;

        Managed(String name, SshTarget target, String privateKey, String remoteHost, int remotePort, int localPort,
                BiConsumer<String, String> events) {
            this.name = name;
            this.target = target;
            this.privateKey = privateKey;
            this.remoteHost = remoteHost;
            this.remotePort = remotePort;
            this.localPort = localPort;
            this.events = events;
        }
    }

    public SshTunnels() {
        client.setServerKeyVerifier((session, address, key) -> {
            AttributeRepository ctx = session.getConnectionContext();
            Map<String, String> offered = ctx == null ? null : ctx.getAttribute(OFFERED);
            if (offered != null) offered.put("key", PublicKeyEntry.toString(key));
            String expected = ctx == null ? null : ctx.getAttribute(EXPECTED);
            if (expected == null) return false; // every connection says what it expects ("" = trust on first use)
            return expected.isEmpty() || KeyUtils.compareKeys(parse(expected), key);
        });
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(5));
        SshTuning.apply(client);
        client.start();
    }

    @Override
    public String hostKeyOf(SshTarget target, String privateKey) {
        Map<String, String> offered = new ConcurrentHashMap<>();
        closeQuietly(connect(target.withHostKey(null), privateKey, offered));
        return offered.get("key");
    }

    @Override
    public int open(String name, SshTarget target, String privateKey, String remoteHost, int remotePort, int localPort,
                    BiConsumer<String, String> events) {
        close(name);
        Managed m = new Managed(name, target, privateKey, remoteHost, remotePort, localPort, events);
        establish(m);
        tunnels.put(name, m);
        return m.localPort;
    }

    private void establish(Managed m) {
        ClientSession s = connect(m.target, m.privateKey, new ConcurrentHashMap<>());
        try {
            SshdSocketAddress bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", m.localPort),
                    new SshdSocketAddress(m.remoteHost, m.remotePort));
            m.localPort = bound.getPort();
        } catch (IOException e) {
            closeQuietly(s);
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + m.localPort + " for the tunnel: " + e.getMessage(), e);
        }
        m.session = s;
        s.addSessionListener(new SessionListener() {
            @Override
            public void sessionClosed(Session session) {
                if (m.closed || m.session != session) return;
                m.events.accept("external.tunnel-down", "SSH session to " + where(m.target) + " closed; reconnecting");
                scheduleReconnect(m);
            }
        });
    }

    private void scheduleReconnect(Managed m) {
        long delay = Math.min(2000, 250L << Math.min(m.failures, 4));
        timer.schedule(() -> reconnect(m), delay, TimeUnit.MILLISECONDS);
    }

    private void reconnect(Managed m) {
        if (m.closed) return;
        try {
            establish(m);
            m.events.accept("external.tunnel-restored", "SSH session to " + where(m.target) + " back after " + (m.failures + 1)
                    + " attempt(s); local port " + m.localPort);
            m.failures = 0;
        } catch (RuntimeException e) {
            m.failures++;
            LOG.debug("reconnecting tunnel {} failed: {}", m.name, e.getMessage());
            scheduleReconnect(m);
        }
    }

    /** Connects and logs in; host key mismatches and refused logins become clear messages. */
    private ClientSession connect(SshTarget target, String privateKey, Map<String, String> offered) {
        ClientSession s = null;
        try {
            Map<AttributeRepository.AttributeKey<?>, Object> ctx = new java.util.HashMap<>();
            ctx.put(EXPECTED, target.hostKey() == null ? "" : target.hostKey());
            ctx.put(OFFERED, offered);
            s = client.connect(target.user(), target.host(), target.port(), AttributeRepository.ofAttributesMap(ctx), null)
                    .verify(TIMEOUT).getSession();
            for (KeyPair kp : keys(privateKey)) s.addPublicKeyIdentity(kp);
            s.auth().verify(TIMEOUT);
            return s;
        } catch (IOException | GeneralSecurityException e) {
            closeQuietly(s);
            String got = offered.get("key");
            if (got != null && target.hostKey() != null && !target.hostKey().isEmpty() && !sameKey(target.hostKey(), got)) {
                throw new HostKeyMismatchException("host key of " + where(target) + " changed: expected " + fingerprint(target.hostKey())
                        + ", offered " + fingerprint(got) + ". If the server was rebuilt, register again with --ssh-host-key");
            }
            throw new IllegalStateException("SSH to " + where(target) + " failed: " + e.getMessage(), e);
        }
    }

    /** The pinned host key no longer matches what the server offers. */
    public static final class HostKeyMismatchException extends IllegalStateException {
        HostKeyMismatchException(String message) {
            super(message);
        }
    }

    private static Iterable<KeyPair> keys(String privateKey) throws IOException, GeneralSecurityException {
        return SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh-key"),
                new ByteArrayInputStream(privateKey.getBytes(StandardCharsets.UTF_8)), null);
    }

    private static PublicKey parse(String line) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an SSH public key: " + e.getMessage(), e);
        }
    }

    private static boolean sameKey(String a, String b) {
        return KeyUtils.compareKeys(parse(a), parse(b));
    }

    public static String fingerprint(String line) {
        return KeyUtils.getFingerPrint(parse(line));
    }

    private static String where(SshTarget t) {
        return t.user() + "@" + t.host() + ":" + t.port();
    }

    @Override
    public boolean up(String name) {
        Managed m = tunnels.get(name);
        return m != null && m.session != null && m.session.isOpen();
    }

    @Override
    public void close(String name) {
        Managed m = tunnels.remove(name);
        if (m == null) return;
        m.closed = true;
        closeQuietly(m.session);
    }

    private static void closeQuietly(ClientSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        tunnels.keySet().forEach(this::close);
        timer.shutdownNow();
        client.stop();
    }
}
