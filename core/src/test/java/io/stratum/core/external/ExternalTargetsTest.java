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
        assertThat(ExternalTargets.local("10.1.2.3")).isFalse();
        assertThat(ExternalTargets.local("203.0.113.7")).isFalse();
    }

    @Test
    void providerTextIsOneShortPrintableLine() {
        String text = ExternalTargets.providerText("FATAL:  no such thing\n\u001b[31mred\u0000" + "x".repeat(900));
        assertThat(text).doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u0000").hasSizeLessThanOrEqualTo(303).endsWith("...");
    }
}
