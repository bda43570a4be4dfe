package io.stratum.ssh;

import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Settings for database traffic through MINA's forwarded channels: no Nagle delay on small query/response messages,
 * and channel windows and socket buffers large enough for bulk transfers (bench/ 'tunnel' measures the result).
 */
final class SshTuning {
    private SshTuning() {}

    static void apply(PropertyResolver target) {
        var props = target.getProperties();
        props.put(CoreModuleProperties.TCP_NODELAY.getName(), true);
        props.put(CoreModuleProperties.WINDOW_SIZE.getName(), 16L * 1024 * 1024);
        props.put(CoreModuleProperties.NIO2_READ_BUFFER_SIZE.getName(), 256 * 1024);
        props.put(CoreModuleProperties.FORWARDER_BUFFER_SIZE.getName(), 256 * 1024);
        props.put(CoreModuleProperties.SOCKET_RCVBUF.getName(), 1024 * 1024);
        props.put(CoreModuleProperties.SOCKET_SNDBUF.getName(), 1024 * 1024);
    }
}
