package de.shopmigration.copyagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RsyncStatsTest {

    @Test
    void readsTransferredFilesAndBytesWithThousandsSeparators() throws Exception {
        String stats = """

                Number of files: 1,503 (reg: 1,501, dir: 2)
                Number of created files: 1,502 (reg: 1,501, dir: 1)
                Number of deleted files: 0
                Number of regular files transferred: 1,501
                Total file size: 3,006,393 bytes
                Total transferred file size: 3,006,393 bytes
                Literal data: 3,006,393 bytes
                Matched data: 0 bytes
                """;
        assertThat(FileCopier.parseStats(stats)).isEqualTo(new FileCopier.Figures(1501, 3_006_393));
    }

    @Test
    void readsPlainNumbers() throws Exception {
        String stats = "Number of regular files transferred: 5\nTotal transferred file size: 987 bytes\n";
        assertThat(FileCopier.parseStats(stats)).isEqualTo(new FileCopier.Figures(5, 987));
    }

    @Test
    void missingFiguresAreAFailureNotZero() {
        assertThatThrownBy(() -> FileCopier.parseStats("sent 19 bytes  received 12 bytes\n"))
                .isInstanceOf(CopyFailed.class).hasMessageContaining("--stats");
    }
}
