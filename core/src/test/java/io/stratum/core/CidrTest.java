package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.error.ValidationException;
import io.stratum.core.network.Cidr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @ParameterizedTest
    @CsvSource({"10.0.0.0/8,10.0.0.0/8", "10.1.2.3/8,10.0.0.0/8", "127.0.0.2,127.0.0.2/32", "0.0.0.0/0,0.0.0.0/0",
            "192.168.1.77/24,192.168.1.0/24", "2001:db8::1/32,2001:db8::/32", "::1,::1/128", "fe80::abcd/64,fe80::/64"})
    void normalisesToTheNetworkAddress(String in, String out) {
        assertThat(Cidr.parse("cidr", in).toString()).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1/8", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/x", "2001:db8::/129", "banana", ""})
    void rejectsWhatIsNotACidrNamingTheField(String in) {
        assertThatThrownBy(() -> Cidr.parse("cidr", in)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("cidr"));
    }
}
