package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.BackupManifest;
import io.stratum.core.backup.TableStat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
    static BackupManifest manifest(TableStat... tables) {
        return new BackupManifest(1, "bk-1", "postgres", "15", "orders", null, null, "app", "manual", "sha", 1, 1, 1, "t0", "t1", List.of(tables));
    }

    @Test
    void aDrillPassesOnlyWhenEveryTableMatches() {
        BackupManifest m = manifest(new TableStat("public.orders", 3, "99"), new TableStat("public.items", 0, "0"));
        assertThat(m.differences(List.of(new TableStat("public.items", 0, "0"), new TableStat("public.orders", 3, "99")))).isEmpty();
        assertThat(m.differences(List.of(new TableStat("public.orders", 2, "99"), new TableStat("public.items", 0, "0"))))
                .containsExactly("public.orders: 2 rows restored, 3 in the backup");
        assertThat(m.differences(List.of(new TableStat("public.orders", 3, "98"), new TableStat("public.items", 0, "0"))))
                .containsExactly("public.orders: checksum 98 restored, 99 in the backup");
        assertThat(m.differences(List.of(new TableStat("public.orders", 3, "99"), new TableStat("public.extra", 1, "1"))))
                .containsExactly("public.items: missing after restore (0 rows in the backup)", "public.extra: present after restore but not in the backup");
        assertThat(manifest(new TableStat("public.t", 3, "t:5")).differences(List.of(new TableStat("public.t", 3, "h:9"))))
                .as("made another way: a difference, never a check skipped")
                .containsExactly("public.t: its checksum could not be made as the backup's was (h:9 restored, t:5 in the backup)");
        assertThat(manifest(new TableStat("public.t", 3, "c:5")).differences(List.of(new TableStat("public.t", 3, null)))).hasSize(1);
        assertThat(manifest(new TableStat("public.t", 3, "h:5")).differences(List.of(new TableStat("public.t", 3, "h:9")))).hasSize(1);
        assertThat(manifest(new TableStat("db0", 800, null)).differences(List.of(new TableStat("db0", 800, "anything")))).as("Redis: keys only")
                .isEmpty();
    }
}
