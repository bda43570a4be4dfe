package io.stratum.core.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.error.ValidationException;
import org.junit.jupiter.api.Test;

class SshPublicKeysTest {
    /** Made with ssh-keygen -t ed25519; ssh-keygen -lf prints the fingerprint below. */
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIERkEyq/ru5Z53HG72UYKyxUKVtmJX4yn5mvOe7hh2MH me@laptop";

    @Test
    void parsesTypeBlobCommentAndOpenSshFingerprint() {
        var p = SshPublicKeys.parse("publicKey", "  " + KEY + "\n");
        assertThat(p.type()).isEqualTo("ssh-ed25519");
        assertThat(p.comment()).isEqualTo("me@laptop");
        assertThat(p.line()).isEqualTo(KEY.substring(0, KEY.lastIndexOf(' ')));
        assertThat(p.fingerprint()).isEqualTo("SHA256:NZAn5KTiH9u/EiyrTTmkz8GsoO0a77FNd5hEuURug1w");
    }

    @Test
    void refusesPrivateKeysWrongTypesAndDamagedBlobsNamingTheField() {
        assertThatThrownBy(() -> SshPublicKeys.parse("publicKey", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> SshPublicKeys.parse("publicKey", "ssh-dss AAAAB3NzaC1kc3M= old"))
                .hasMessageContaining("supported type");
        assertThatThrownBy(() -> SshPublicKeys.parse("publicKey", "ssh-ed25519 not*base64"))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> SshPublicKeys.parse("publicKey", "ssh-rsa " + KEY.split(" ")[1]))
                .hasMessageContaining("another key type");
        assertThatThrownBy(() -> SshPublicKeys.parse("publicKey", " ")).hasMessageContaining("is required");
    }
}
