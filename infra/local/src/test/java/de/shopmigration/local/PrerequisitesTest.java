package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one list of what {@code make sandbox} and {@code make test} need (infra/bin/prerequisites),
 * run in check-only mode: on this machine (which ran {@code make test}, so has it all) it finds
 * nothing missing; with a tool hidden from PATH it names the tool, the Debian package and the
 * exact command, and fails, for the purpose that needs the tool only.
 */
@Tag("full")
class PrerequisitesTest {

    record Run(int exitCode, String output) {
    }

    @TempDir
    Path bin;

    @Test
    void thisMachineHasEverythingTheTestsNeed() throws Exception {
        Run run = check("test", System.getenv("PATH"));
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void aToolHiddenFromPathIsNamedWithTheCommandThatInstallsIt() throws Exception {
        String path = pathWithout("rsync");
        Run forTests = check("test", path);
        assertThat(forTests.exitCode()).isEqualTo(1);
        assertThat(forTests.output()).contains("Missing for 'make test':", "rsync: the copy agent's end-to-end test",
                "apt-get update && apt-get install -y --no-install-recommends rsync");
        Run forSandbox = check("sandbox", path);
        assertThat(forSandbox.exitCode()).as("the sandbox does not need rsync: " + forSandbox.output()).isZero();
    }

    @Test
    void everyMissingToolIsListedInOneCommand() throws Exception {
        Run run = check("test", pathWithout("rsync", "chromedriver", "curl"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("--no-install-recommends curl chromium-driver rsync");
    }

    /** A PATH of one folder with links to every program on the real PATH but the hidden ones. */
    private String pathWithout(String... hidden) throws IOException {
        List<String> hide = List.of(hidden);
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            File[] programs = new File(dir).listFiles();
            for (File p : programs == null ? new File[0] : programs) {
                Path link = bin.resolve(p.getName());
                if (!hide.contains(p.getName()) && p.canExecute() && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, p.toPath());
                }
            }
        }
        return bin.toString();
    }

    private static Run check(String purpose, String path) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", Repo.root().resolve("infra/bin/prerequisites").toString(), "--check", purpose)
                .redirectErrorStream(true);
        builder.environment().put("PATH", path);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }
}
