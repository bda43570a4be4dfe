package io.stratum.core.external;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalTargetsTest {
    static List<String> fields(String database, String user, String host) {
        List<FieldError> errors = new ArrayList<>();
        ExternalTargets.nameErrors(database, user, host, errors);
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void providerNamesPassConnectionStringsDoNot() {
        assertThat(fields("defaultdb", "doadmin", "db-postgresql-fra1-123.b.db.ondigitalocean.com")).isEmpty();
        assertThat(fields("postgres", "admin@myserver", "10.0.0.5")).isEmpty();
        assertThat(fields(null, "app", "::1")).isEmpty();
        assertThat(fields("host=/var/lib/stratum/instances/victim/run user=stratum_admin", "app", "h")).containsExactly("database");
        assertThat(fields("postgresql://x", "app", "h")).containsExactly("database");
        assertThat(fields("app?socketFactory=x", "app", "h")).containsExactly("database");
        assertThat(fields("-d", "app", "h")).containsExactly("database");
        assertThat(fields("app", "app' or '1", "h")).containsExactly("user");
        assertThat(fields("app", "--init-command=x", "h")).containsExactly("user");
        assertThat(fields("app", "app", "/var/lib/stratum/instances/x/run")).containsExactly("host");
        assertThat(fields("app", "app", "-oProxyCommand=x")).containsExactly("host");
    }

    @Test
    void thisHostsAndLinkLocalAddressesAreLocal() {
        assertThat(ExternalTargets.local("127.0.0.1")).isTrue();
        assertThat(ExternalTargets.local("127.0.0.53")).isTrue();
        assertThat(ExternalTargets.local("::1")).isTrue();
        assertThat(ExternalTargets.local("localhost")).isTrue();
        assertThat(ExternalTargets.local("169.254.169.254")).isTrue();
        assertThat(ExternalTargets.local("fe80::1")).isTrue();
        assertThat(ExternalTargets.local("0.0.0.0")).isTrue();
        assertThat(ExternalTargets.local("0.1.2.3")).isTrue();
        assertThat(ExternalTargets.local("::ffff:127.0.0.1")).isTrue();
        assertThat(ExternalTargets.local("10.1.2.3")).isFalse();
        assertThat(ExternalTargets.local("203.0.113.7")).isFalse();
    }

    @Test
    void everyAddressOfThisHostsInterfacesIsLocal() throws Exception {
        // e.g. its LAN address, from which its own health checks reach instances that security groups otherwise fence
        List<java.net.InetAddress> own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream()).toList();
        assertThat(own).isNotEmpty();
        for (java.net.InetAddress a : own) assertThat(ExternalTargets.local(a.getHostAddress())).as(a.toString()).isTrue();
    }

    @Test
    void aNameThatResolvesToThisHostNowIsRefusedAtConnectionTime() {
        assertThat(ExternalTargets.rebindable("db.example.com")).isTrue();
        assertThat(ExternalTargets.rebindable("10.0.0.5")).isFalse();
        assertThat(ExternalTargets.rebindable("fd00::5")).isFalse();
        assertThat(ExternalTargets.rebindable("localhost")).isFalse();
        // a name that answers with one of this host's addresses now (as a rebinding DNS server would): the host's own name
        String rebound;
        try {
            rebound = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ExternalTargets.rebindable(rebound) && ExternalTargets.local(rebound),
                "this host's name resolves to one of its addresses");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExternalTargets.requireRemoteNow(rebound))
                .hasMessageContaining("now resolves to an address of this host");
        ExternalTargets.requireRemoteNow("203.0.113.7"); // an address literal cannot be rebound
        assertThat(ExternalTargets.pinnedAddress("203.0.113.7")).as("nothing to pin").isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExternalTargets.pinnedAddress(rebound))
                .hasMessageContaining("now resolves to an address of this host");
    }

    @Test
    void cloudMetadataServicesOutsideLinkLocalSpaceAreLocal() {
        assertThat(ExternalTargets.local("100.100.100.200")).isTrue();
        assertThat(ExternalTargets.local("fd00:ec2::254")).isTrue();
    }

    @Test
    void providerTextIsOneShortPrintableLine() {
        String text = ExternalTargets.providerText("FATAL:  no such thing\n\u001b[31mred\u0000" + "x".repeat(900));
        assertThat(text).doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u0000").hasSizeLessThanOrEqualTo(303).endsWith("...");
    }
}
