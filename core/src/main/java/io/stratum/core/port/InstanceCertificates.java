package io.stratum.core.port;

import io.stratum.core.engine.InstanceContext;

/**
 * TLS certificates for instances, issued by the internal CA into the instance's {@code conf/} (server.crt, server.key,
 * ca.crt), for the advertise host, {@code localhost} and {@code 127.0.0.1}.
 */
public interface InstanceCertificates {
    /** Issues or renews the instance's certificate when missing or close to expiry; returns true when it wrote a new one. */
    boolean ensure(InstanceContext ctx);
}
