package io.stratum.core.port;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.instance.Instance;
import io.stratum.core.network.Cidr;
import java.util.List;

/** Where instances live: directories, addresses and the OS users of engines. Local processes today. */
public interface Placement {
    /** The context for acting on {@code instance} with its opened credentials, the networks it admits and its managed users. */
    InstanceContext context(Instance instance, String masterPassword, String adminSecret, List<Cidr> ingress,
                            List<io.stratum.core.user.UserCredentials> users);

    /** Creates the instance's directories (data, conf, log, run) owned by the engine user; idempotent. */
    void createDirectories(InstanceContext ctx);

    /** Removes everything the instance had on disk; idempotent. */
    void removeDirectories(InstanceContext ctx);

    /** Bytes the instance's data directory holds. */
    long usedBytes(InstanceContext ctx);

    /** True when nothing listens on {@code port} at the address instances bind to. */
    boolean portFree(int port, boolean publicAccess);

    /** Refuses an instance name this placement cannot host (e.g. socket paths too long); throws ValidationException. */
    void validateName(String name);

    /** The host name clients use to reach instances. */
    String endpointHost();

    /** Bytes free (for this process) on the file system where instances live. */
    long usableBytes();

    /**
     * Whether {@code bytes} more may be written where instances live for something transient (a restore's unpacked dump)
     * and still leave the headroom instances need (1 GiB and a tenth of the file system).
     */
    boolean leavesHeadroom(long bytes);

    /** True when each instance runs as an OS user of its own (no instance can reach another's files or sockets). */
    boolean isolatesInstances();

    /** The OS users that run (or will run) instance {@code name}. */
    io.stratum.core.engine.OsUsers osUsers(String name);
}
