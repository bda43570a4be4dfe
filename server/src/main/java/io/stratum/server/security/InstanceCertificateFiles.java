package io.stratum.server.security;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.port.InstanceCertificates;
import io.stratum.engines.EngineFiles;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Instance certificates from the internal CA, written into the instance's conf/ for the engine user: renewed when a
 * third of their validity remains (the engines then reload them without a restart).
 */
public final class InstanceCertificateFiles implements InstanceCertificates {
    private final InternalCa ca;
    private final Duration validity;

    public InstanceCertificateFiles(InternalCa ca, Duration validity) {
        this.ca = ca;
        this.validity = validity;
    }

    @Override
    public synchronized boolean ensure(InstanceContext ctx) {
        List<String> names = List.of(ctx.connectHost(), "localhost", "127.0.0.1");
        if (current(ctx, names)) return false;
        InternalCa.Issued issued = ca.issueServer(ctx.spec().name(), names, validity);
        EngineFiles.writeOwned(ctx.tlsCertificate(), InternalCa.pem(issued.certificate()), ctx.engineUser());
        EngineFiles.writeOwned(ctx.tlsKey(), InternalCa.pkcs8Pem(issued.key()), ctx.engineUser());
        EngineFiles.writeOwned(ctx.tlsCa(), InternalCa.pem(ca.certificate()), ctx.engineUser());
        return true;
    }

    /** A certificate from this CA, for these names, with more than a third of its validity left. */
    private boolean current(InstanceContext ctx, List<String> names) {
        try {
            if (!Files.exists(ctx.tlsCertificate()) || !Files.exists(ctx.tlsKey())) return false;
            X509Certificate cert = InternalCa.readCertificate(Files.readString(ctx.tlsCertificate()));
            cert.verify(ca.certificate().getPublicKey());
            Instant notAfter = cert.getNotAfter().toInstant();
            Instant notBefore = cert.getNotBefore().toInstant();
            Duration total = Duration.between(notBefore, notAfter);
            if (Instant.now().isAfter(notAfter.minus(total.dividedBy(3)))) return false;
            var sans = cert.getSubjectAlternativeNames();
            return sans != null && sans.stream().map(l -> String.valueOf(l.get(1))).toList().containsAll(names);
        } catch (Exception e) {
            return false;
        }
    }
}
