package io.stratum.server;

import io.stratum.core.error.ValidationException;
import io.stratum.core.home.StratumHome;

/** How the control plane runs: where its home is, where it listens, which store it uses. */
public record ServerOptions(StratumHome home, String listenHost, int listenPort, String advertiseHost, String storeUrl,
                            String storePassword) {

    public static final String DEFAULT_LISTEN = "127.0.0.1:7443";

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}); port 0 picks a free port. */
    public static ServerOptions of(StratumHome home, String listen, String advertiseHost, String storeUrl, String storePassword) {
        String l = listen == null ? DEFAULT_LISTEN : listen;
        int colon = l.lastIndexOf(':');
        if (colon <= 0) {
            throw ValidationException.of("listen", "'" + l + "' is not HOST:PORT, e.g. 127.0.0.1:7443");
        }
        String host = l.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(l.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw ValidationException.of("listen", "port in '" + l + "' must be 0-65535 (0 picks a free port)");
        }
        String advertise = advertiseHost != null ? advertiseHost
                : host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return new ServerOptions(home, host, port, advertise, storeUrl, storePassword);
    }
}
