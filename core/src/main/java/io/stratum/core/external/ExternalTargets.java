package io.stratum.core.external;

import io.stratum.core.error.FieldError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rules for the values a tenant gives when registering an external database: they are data, never connection strings.
 * Names are plain identifiers (no {@code =}, {@code ?}, spaces, quotes or leading {@code -} that a conninfo string, a URL
 * or an argv could read as more than a name); a target on this host's loopback, link-local or unspecified addresses
 * (Stratum's own instances, the cloud metadata service) is for admins only; and what a provider answers when a check
 * fails reaches the caller trimmed to one short, printable line.
 */
public final class ExternalTargets {
    private static final Pattern DATABASE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}$");
    /** Managed providers' users may carry a server suffix (Azure: {@code user@server}). */
    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.$@-]{0,127}$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9:][A-Za-z0-9.:-]{0,252}$");
    static final int MAX_PROVIDER_TEXT = 300;
    /** Cloud metadata services outside link-local space: AWS over IPv6, Alibaba Cloud. */
    private static final java.util.Set<String> METADATA = java.util.Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200");

    private ExternalTargets() {}

    public static void nameErrors(String database, String user, String host, List<FieldError> errors) {
        if (host == null || !HOST.matcher(host).matches()) {
            errors.add(new FieldError("host", "is required: the provider's host name or IP address (letters, digits, '.', ':' and '-')"));
        }
        if (user == null || !USER.matcher(user).matches()) {
            errors.add(new FieldError("user", "is required: the master user at the provider (letters, digits, '_', '.', '$', '@', '-')"));
        }
        if (database != null && !DATABASE.matcher(database).matches()) {
            errors.add(new FieldError("database", "'" + database + "' is not a database name: use letters, digits, '_', '.', '$' and '-' "
                    + "(it is passed as a name, never as connection options)"));
        }
    }

    /**
     * True when {@code host} is (or resolves to) an address of this host or its link-local network: loopback,
     * link-local (169.254/16, fe80::/10, where cloud metadata services answer), unspecified, {@code 0.0.0.0/8}, or the
     * address of any of this host's interfaces (its LAN address reaches its instances as their health checks do).
     */
    public static boolean local(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || METADATA.contains(a.getHostAddress())
                        || a instanceof java.net.Inet4Address && a.getAddress()[0] == 0 || java.net.NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return false; // not resolvable: the connection check says so
        } catch (java.net.SocketException e) {
            return true; // the interfaces cannot be listed: treat it as local, the safer answer
        }
    }

    /** A host name DNS answers for (not an IP address, not {@code localhost}): its address may change after registration. */
    public static boolean rebindable(String host) {
        return !host.equals("localhost") && !host.matches("[0-9.]+") && !host.contains(":");
    }

    /**
     * For a connection to a registered host: a name that now resolves to a local address (DNS rebinding: public at
     * registration, 127.0.0.1 or the metadata service later) is refused. Local targets are registered by IP address.
     */
    public static void requireRemoteNow(String host) {
        pinnedAddress(host);
    }

    /**
     * For a tool that resolves names itself (pg_dump): the address to connect to, resolved and checked here once, so the
     * tool cannot be given another answer than the check was (null for an IP address or localhost, which cannot change).
     */
    public static String pinnedAddress(String host) {
        if (!rebindable(host)) return null;
        if (local(host)) {
            throw new IllegalStateException("host " + host + " now resolves to an address of this host or its link-local network: "
                    + "refused (a name registered for a remote database must stay remote)");
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("host " + host + " does not resolve", e);
        }
    }

    /** A provider's error text as the caller sees it: one line, printable ASCII, at most {@value #MAX_PROVIDER_TEXT} characters. */
    public static String providerText(String text) {
        if (text == null) return "(no detail)";
        String oneLine = text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?").strip();
        return oneLine.length() <= MAX_PROVIDER_TEXT ? oneLine : oneLine.substring(0, MAX_PROVIDER_TEXT) + "...";
    }
}
