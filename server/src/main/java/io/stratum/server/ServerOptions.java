package io.stratum.server;

import io.stratum.core.error.ValidationException;
import io.stratum.core.home.StratumHome;

/** How the control plane runs: where its home is, where it listens, which store it uses. */
public record ServerOptions(StratumHome home, String listenHost, int listenPort, String advertiseHost, String storeUrl,
                            String storePassword, Engines engines, Bastion bastion, boolean singleTenant) {

    /** Where the SSH bastion listens ({@code --bastion-listen}, default 127.0.0.1:2222) and its session limits. */
    public record Bastion(String host, int port, java.time.Duration idleTimeout, java.time.Duration maxSession) {
        public static final String DEFAULT_LISTEN = "127.0.0.1:2222";

        public static Bastion parse(String listen) {
            var hp = hostPort("bastion-listen", listen == null ? DEFAULT_LISTEN : listen);
            return new Bastion(hp.getKey(), hp.getValue(), java.time.Duration.ofMinutes(15), java.time.Duration.ofHours(12));
        }

        public Bastion withTimeouts(java.time.Duration idle, java.time.Duration max) {
            return new Bastion(host, port, idle == null ? idleTimeout : idle, max == null ? maxSession : max);
        }
    }

    public ServerOptions withBastion(Bastion b) {
        return new ServerOptions(home, listenHost, listenPort, advertiseHost, storeUrl, storePassword, engines, b, singleTenant);
    }

    /**
     * {@code --single-tenant}: without root, instances cannot be isolated from each other; this says every stack on
     * this control plane trusts every other, so instances of several stacks may run (see README, Security model).
     */
    public ServerOptions withSingleTenant(boolean single) {
        return new ServerOptions(home, listenHost, listenPort, advertiseHost, storeUrl, storePassword, engines, bastion, single);
    }

    /** How instances are run: port range, supervision period, storage sampling, certificates' lifetime, the firewall. */
    public record Engines(int portFirst, int portLast, java.time.Duration supervisorPeriod, java.time.Duration storageInterval,
                          java.time.Duration certificateValidity, Firewall firewall) {
        public static Engines defaults() {
            return new Engines(15000, 15999, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(15),
                    java.time.Duration.ofDays(365), Firewall.defaults());
        }

        public Engines withFirewall(Firewall f) {
            return new Engines(portFirst, portLast, supervisorPeriod, storageInterval, certificateValidity, f);
        }

        /** Instance certificates' lifetime; they are renewed when a third of it remains. */
        public Engines withCertificateValidity(java.time.Duration validity) {
            return new Engines(portFirst, portLast, supervisorPeriod, storageInterval, validity, firewall);
        }

        /** Parses {@code FIRST-LAST}. */
        public Engines withPortRange(String range) {
            if (range == null) return this;
            var m = java.util.regex.Pattern.compile("^(\\d{4,5})-(\\d{4,5})$").matcher(range);
            if (!m.matches()) throw ValidationException.of("port-range", "'" + range + "' is not FIRST-LAST, e.g. 15000-15999");
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            if (a < 1024 || b > 65535 || a > b) throw ValidationException.of("port-range", "use 1024-65535 with FIRST <= LAST");
            return new Engines(a, b, supervisorPeriod, storageInterval, certificateValidity, firewall);
        }

        /** How often storage use is sampled (null: unchanged). */
        public Engines withStorageInterval(java.time.Duration storage) {
            return new Engines(portFirst, portLast, supervisorPeriod, storage == null ? storageInterval : storage, certificateValidity,
                    firewall);
        }
    }

    /**
     * The kernel layer: the {@code nft} command, the table Stratum owns and how often the table is checked against what
     * Stratum wrote (a flushed or edited table is rebuilt). The table is the home's own ({@link #tableFor}) unless one is
     * named: two control planes on one machine never rewrite each other's rules.
     */
    public record Firewall(String nftCommand, String table, java.time.Duration checkInterval) {
        public static Firewall defaults() {
            return new Firewall("nft", null, java.time.Duration.ofSeconds(10));
        }

        /** The table of the home at {@code home}: {@code stratum_} and 8 hex digits of its path's SHA-256. */
        public static String tableFor(java.nio.file.Path home) {
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(home.toAbsolutePath().normalize().toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "stratum_" + java.util.HexFormat.of().formatHex(h, 0, 4);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** This configuration's table for {@code home}. */
        public String tableIn(java.nio.file.Path home) {
            return table != null ? table : tableFor(home);
        }
    }

    public static final String DEFAULT_LISTEN = "127.0.0.1:7443";

    public ServerOptions withEngines(Engines e) {
        return new ServerOptions(home, listenHost, listenPort, advertiseHost, storeUrl, storePassword, e, bastion, singleTenant);
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}); port 0 picks a free port. */
    public static ServerOptions of(StratumHome home, String listen, String advertiseHost, String storeUrl, String storePassword) {
        var hp = hostPort("listen", listen == null ? DEFAULT_LISTEN : listen);
        String host = hp.getKey();
        int port = hp.getValue();
        String advertise = advertiseHost != null ? advertiseHost
                : host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        // an API on a free port (tests, benchmarks) gets its bastion on a free port too
        Bastion bastion = Bastion.parse(null);
        if (port == 0) bastion = new Bastion(bastion.host(), 0, bastion.idleTimeout(), bastion.maxSession());
        return new ServerOptions(home, host, port, advertise, storeUrl, storePassword, Engines.defaults(), bastion, false);
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}); port 0 picks a free port. */
    static java.util.Map.Entry<String, Integer> hostPort(String field, String l) {
        int colon = l.lastIndexOf(':');
        if (colon <= 0) {
            throw ValidationException.of(field, "'" + l + "' is not HOST:PORT, e.g. 127.0.0.1:" + (field.equals("listen") ? "7443" : "2222"));
        }
        String host = l.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(l.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw ValidationException.of(field, "port in '" + l + "' must be 0-65535 (0 picks a free port)");
        }
        return java.util.Map.entry(host, port);
    }
}
