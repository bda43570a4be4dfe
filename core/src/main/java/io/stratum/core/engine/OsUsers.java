package io.stratum.core.engine;

/**
 * Which OS user runs what for one instance. A null user means the control plane's own OS user ({@code control}).
 *
 * @param engine   the engine process and its files: the instance's own user when Stratum runs as root
 * @param admin    Stratum's admin connections (PostgreSQL peer, MariaDB unix_socket): the engine user of an isolated
 *                 instance, the control plane's user otherwise; it is the only OS user mapped to the engine's admin role
 * @param template the shared user that builds per-version data directory templates (no tenant data)
 * @param control  the control plane's own OS user name
 */
public record OsUsers(String engine, String admin, String template, String control) {
    /** The shared engine user of instances created before per-instance users (they move to their own at the next start). */
    public static final String SHARED = "stratum";

    /** The name of the OS user Stratum's admin connections run as (mapped to the admin role inside the engine). */
    public String adminName() {
        return admin == null ? control : admin;
    }

    /** True when the engine runs as an OS user of its own, which no other instance and no tenant shares. */
    public boolean isolated() {
        return engine != null && !SHARED.equals(engine);
    }

    /** All on the control plane's user (external databases, a control plane that is not root). */
    public static OsUsers self(String control) {
        return new OsUsers(null, null, null, control);
    }
}
