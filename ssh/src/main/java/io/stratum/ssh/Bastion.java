package io.stratum.ssh;

import io.stratum.core.bastion.BastionKey;
import io.stratum.core.service.BastionService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH bastion: an embedded server that accepts only public keys registered for a stack (the SSH user name is the
 * stack), and only opens {@code direct-tcpip} channels to that stack's instance endpoints. No session channels at all,
 * so shells, exec, subsystems (sftp), agent and X11 forwarding are impossible; remote forwarding is refused.
 */
public final class Bastion implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bastion.class);
    private static final AttributeRepository.AttributeKey<BastionKey> KEY = new AttributeRepository.AttributeKey<>();
    private final SshServer server;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bastion-session-limit");
        t.setDaemon(true);
        return t;
    });

    /** How the bastion listens and how long sessions may last. */
    public record Options(String host, int port, Path hostKeyFile, Duration idleTimeout, Duration maxSession) {}

    /** How often open sessions are checked against their key (revoked, expired or deleted keys' sessions are closed). */
    static final Duration KEY_CHECK = Duration.ofSeconds(2);

    private Bastion(SshServer server) {
        this.server = server;
    }

    public static Bastion start(Options options, BastionService keys) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(options.host());
        sshd.setPort(options.port());
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(options.hostKeyFile());
        hostKey.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKey.setKeySize(256);
        sshd.setKeyPairProvider(hostKey);
        sshd.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator((user, key, session) -> {
            var found = keys.authenticate(user, KeyUtils.getFingerPrint(key));
            found.ifPresent(k -> session.setAttribute(KEY, k));
            return found.isPresent();
        });
        sshd.setChannelFactories(List.of(DirectTcpipFactory.INSTANCE));
        sshd.setForwardingFilter(new StackTargets(keys));
        Bastion bastion = new Bastion(sshd);
        sshd.addChannelListener(new TunnelEvents(keys));
        SshTuning.apply(sshd);
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, options.idleTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, Duration.ofSeconds(30));
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                bastion.timers.schedule(() -> {
                    if (session.isOpen()) {
                        LOG.info("closing bastion session of {} after the maximum session time", session.getUsername());
                        session.close(false);
                    }
                }, options.maxSession().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        bastion.timers.scheduleWithFixedDelay(() -> bastion.closeRevoked(keys), KEY_CHECK.toMillis(), KEY_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            sshd.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bastion on " + options.host() + ":" + options.port(), e);
        }
        return bastion;
    }

    public int port() {
        return server.getPort();
    }

    /** Closes every session whose key was revoked, expired or removed since it logged in (with its tunnels). */
    private void closeRevoked(BastionService keys) {
        try {
            for (var session : server.getActiveSessions()) {
                BastionKey key = session.getAttribute(KEY);
                if (key != null && session.isOpen() && !keys.stillUsable(key)) {
                    LOG.info("closing bastion session of {}: key {} is no longer valid", session.getUsername(), key.fingerprint());
                    keys.tunnelEvent(key, "bastion.session-closed", source(session), "key revoked, expired or removed");
                    session.close(true);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("checking bastion sessions failed: {}", e.toString());
        }
    }

    /** The host key's SHA-256 fingerprint, as {@code ssh} shows it on first connection. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostPublicKey());
    }

    /** The host key as an OpenSSH public key line, for a known_hosts entry. */
    public String hostKey() {
        return org.apache.sshd.common.config.keys.PublicKeyEntry.toString(hostPublicKey());
    }

    private java.security.PublicKey hostPublicKey() {
        try {
            return server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the bastion host key", e);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("stopping the bastion: {}", e.toString());
        }
    }

    /** Direct connections to the logged-in stack's instance endpoints only; nothing else is forwarded. */
    private record StackTargets(BastionService keys) implements ForwardingFilter {
        @Override
        public boolean canConnect(Type type, SshdSocketAddress target, Session session) {
            BastionKey key = session.getAttribute(KEY);
            if (key == null || type != Type.Direct) return false;
            if (!keys.stillUsable(key)) {
                keys.tunnelEvent(key, "bastion.tunnel-refused", source(session), "the key was revoked, expired or removed");
                return false;
            }
            boolean allowed = keys.allowedTarget(key.stack(), target.getHostName(), target.getPort());
            if (!allowed) {
                keys.tunnelEvent(key, "bastion.tunnel-refused", source(session), target.getHostName() + ":" + target.getPort()
                        + " is not an endpoint of stack " + key.stack());
            }
            return allowed;
        }

        @Override
        public boolean canListen(SshdSocketAddress address, Session session) {
            return false;
        }

        @Override
        public boolean canForwardAgent(Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canForwardX11(Session session, String requestType) {
            return false;
        }
    }

    /** Each tunnel's open and close is an event with the key's fingerprint, the source and the target. */
    private record TunnelEvents(BastionService keys) implements ChannelListener {
        @Override
        public void channelOpenSuccess(Channel channel) {
            record(channel, "bastion.tunnel-opened");
        }

        @Override
        public void channelClosed(Channel channel, Throwable reason) {
            record(channel, "bastion.tunnel-closed");
        }

        private void record(Channel channel, String action) {
            if (!(channel instanceof TcpipServerChannel tunnel) || tunnel.getTunnelExit() == null) return;
            BastionKey key = channel.getSession().getAttribute(KEY);
            if (key == null) return;
            try {
                keys.tunnelEvent(key, action, source(channel.getSession()),
                        tunnel.getTunnelExit().getHostName() + ":" + tunnel.getTunnelExit().getPort());
            } catch (RuntimeException e) {
                LOG.warn("recording {} failed: {}", action, e.toString());
            }
        }
    }

    private static String source(Session session) {
        return session.getIoSession().getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : String.valueOf(session.getIoSession().getRemoteAddress());
    }
}
