package de.shopmigration.copyagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job check, field by field: every rejection names the field and says why. */
class JobParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private JobParser parser;
    private Path root;

    @BeforeEach
    void config() throws Exception {
        root = dir.resolve("cluster");
        Files.createDirectories(root);
        Files.writeString(dir.resolve("old.cnf"), "[client]\n");
        Files.writeString(dir.resolve("new.cnf"), "[client]\n");
        Properties p = new Properties();
        p.setProperty("targetRoots", root + ", deploy@cluster1.example:/srv/cluster");
        p.setProperty("connection.old", "old.cnf");
        p.setProperty("connection.cluster", "new.cnf");
        p.setProperty("stateDir", "state");
        parser = new JobParser(AgentConfig.of(p, dir, Map.of(AgentConfig.SECRET_ENV, "x".repeat(32))));
    }

    private ObjectNode valid() {
        ObjectNode job = JSON.createObjectNode();
        job.put("migrationId", "M-2026-0042");
        job.put("mode", "initial");
        job.put("round", 1);
        job.put("issuedAt", "2026-11-29T10:00:00Z");
        ObjectNode source = job.putObject("source");
        source.put("files", "/srv/old/shop/");
        source.putObject("database").put("name", "shop").put("connection", "old");
        ObjectNode target = job.putObject("target");
        target.put("files", root + "/shop/");
        target.putObject("database").put("name", "shop_new").put("connection", "cluster");
        target.put("ip", "198.51.100.20");
        job.putObject("questionnaire").put("shopSystem", "SHOPWARE");
        job.put("callbackUrl", "https://links.example/m/M-2026-0042/abc.def/callback");
        return job;
    }

    private Job parse(ObjectNode job) throws Exception {
        return parser.parse(JSON.writeValueAsBytes(job));
    }

    private void rejected(Consumer<ObjectNode> change, String reasonStart) {
        ObjectNode job = valid();
        change.accept(job);
        assertThatThrownBy(() -> parse(job)).isInstanceOfSatisfying(JobParser.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.getMessage()).startsWith(reasonStart);
        });
    }

    private static ObjectNode source(ObjectNode job) {
        return (ObjectNode) job.get("source");
    }

    private static ObjectNode target(ObjectNode job) {
        return (ObjectNode) job.get("target");
    }

    @Test
    void validJobIsReadCompletely() throws Exception {
        Job job = parse(valid());
        assertThat(job.key()).isEqualTo("M-2026-0042~initial~1");
        assertThat(job.heartbeatSeconds()).isEqualTo(300);
        assertThat(job.files().orElseThrow().source().rsyncArgument()).isEqualTo("/srv/old/shop/");
        assertThat(job.files().orElseThrow().target().rsyncArgument()).isEqualTo(root + "/shop/");
        assertThat(job.database().orElseThrow()).isEqualTo(new Job.Database("shop", "old", "shop_new", "cluster"));
        assertThat(job.callbackOrigin()).isEqualTo("https://links.example");
    }

    @Test
    void filesOrDatabaseAloneAreJobsButNeitherIsNot() throws Exception {
        ObjectNode filesOnly = valid();
        source(filesOnly).remove("database");
        target(filesOnly).remove("database");
        assertThat(parse(filesOnly).database()).isEmpty();
        ObjectNode dbOnly = valid();
        source(dbOnly).remove("files");
        target(dbOnly).putNull("files");
        assertThat(parse(dbOnly).files()).isEmpty();
        rejected(j -> {
            source(j).removeAll();
            target(j).removeAll();
        }, "source/target:");
        rejected(j -> target(j).remove("files"), "target.files:");
        rejected(j -> source(j).remove("database"), "source.database:");
    }

    @Test
    void remoteSourcesAndRemoteTargetsBelowARemoteRootAreAccepted() throws Exception {
        ObjectNode job = valid();
        source(job).put("files", "shop@old-server.example:/var/www/shop");
        target(job).put("files", "deploy@cluster1.example:/srv/cluster/muster");
        Job parsed = parse(job);
        assertThat(parsed.files().orElseThrow().source().rsyncArgument()).isEqualTo("shop@old-server.example:/var/www/shop/");
        assertThat(parsed.files().orElseThrow().target().rsyncArgument()).isEqualTo("deploy@cluster1.example:/srv/cluster/muster/");
        rejected(j -> target(j).put("files", "deploy@other.example:/srv/cluster/muster"), "target.files: must lie below");
    }

    @Test
    void unsafePathsAreRejected() {
        rejected(j -> source(j).put("files", "-e sh -c id"), "source.files: must not start with '-'");
        rejected(j -> source(j).put("files", "relative/shop"), "source.files: must be an absolute path or user@host:/absolute/path");
        rejected(j -> source(j).put("files", "/srv/old/../../etc"), "source.files: must not contain a '..' segment");
        rejected(j -> source(j).put("files", "u@h:/srv/../etc"), "source.files: must not contain a '..' segment");
        rejected(j -> source(j).put("files", "/srv/old\nshop"), "source.files: contains a control character");
        rejected(j -> source(j).put("files", "host::module/path"), "source.files: must be an absolute path");
        rejected(j -> source(j).put("files", "-oProxyCommand=x@h:/srv"), "source.files: must not start with '-'");
        rejected(j -> source(j).put("files", 42), "source.files: must be a string");
        rejected(j -> target(j).put("files", root + "/../elsewhere"), "target.files: must not contain a '..' segment");
        rejected(j -> target(j).put("files", "/tmp/elsewhere"), "target.files: must lie below one of the agent's targetRoots");
        rejected(j -> target(j).put("files", root + "/"), "target.files: must lie below");
        rejected(j -> target(j).put("files", root + "-other/shop"), "target.files: must lie below");
        rejected(j -> source(j).put("files", root.toString()), "target.files: must not be inside the source folder");
    }

    @Test
    void symbolicLinkOutOfATargetRootIsNotBelowIt() throws Exception {
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("outside"));
        rejected(j -> target(j).put("files", root + "/dangling/shop"), "target.files: must lie below");
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("escape"), dir.resolve("outside"));
        rejected(j -> target(j).put("files", root + "/escape/shop"), "target.files: must lie below");
        Files.createDirectories(root.resolve("inside"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("inside"));
        ObjectNode ok = valid();
        target(ok).put("files", root + "/alias/shop");
        assertThat(parse(ok).files()).isPresent();
    }

    @Test
    void namesAndConnectionsAreChecked() {
        rejected(j -> j.put("migrationId", "M/2026"), "migrationId:");
        rejected(j -> j.put("migrationId", "M".repeat(81)), "migrationId:");
        rejected(j -> j.remove("migrationId"), "migrationId: required");
        rejected(j -> ((ObjectNode) target(j).get("database")).put("name", "shop-new"), "target.database.name:");
        rejected(j -> ((ObjectNode) source(j).get("database")).put("name", "shop`; DROP DATABASE x"), "source.database.name:");
        rejected(j -> ((ObjectNode) source(j).get("database")).put("name", "a".repeat(65)), "source.database.name:");
        rejected(j -> ((ObjectNode) target(j).get("database")).put("connection", "nowhere"), "target.database.connection: unknown");
        rejected(j -> ((ObjectNode) target(j).get("database")).remove("connection"), "target.database.connection: required");
        rejected(j -> {
            ((ObjectNode) target(j).get("database")).put("name", "shop");
            ((ObjectNode) target(j).get("database")).put("connection", "old");
        }, "target.database: must not be the source database itself");
    }

    @Test
    void modeRoundTimeHeartbeatAndCallbackAreChecked() {
        rejected(j -> j.put("mode", "partial"), "mode:");
        rejected(j -> j.put("round", 0), "round:");
        rejected(j -> j.put("round", "1"), "round:");
        rejected(j -> j.put("round", 1.5), "round:");
        rejected(j -> j.put("issuedAt", "yesterday"), "issuedAt:");
        rejected(j -> j.put("issuedAt", "2026-11-29T10:00:00"), "issuedAt:");
        rejected(j -> j.put("heartbeatSeconds", 0), "heartbeatSeconds:");
        rejected(j -> j.put("callbackUrl", "ftp://links.example/x"), "callbackUrl:");
        rejected(j -> j.put("callbackUrl", "javascript:alert(1)"), "callbackUrl:");
        rejected(j -> j.put("callbackUrl", "https://user:pw@links.example/x"), "callbackUrl:");
        rejected(j -> j.put("callbackUrl", "https://links.example/" + "x".repeat(2048)), "callbackUrl:");
    }

    @Test
    void malformedBodiesAreRejected() {
        for (String body : new String[] {"", "[]", "null", "{", "{\"migrationId\":\"a\",\"migrationId\":\"b\"}", "{} {}", "\"text\""}) {
            assertThatThrownBy(() -> parser.parse(body.getBytes(StandardCharsets.UTF_8)))
                    .as(body).isInstanceOfSatisfying(JobParser.Rejected.class, r -> assertThat(r.status()).isEqualTo(400));
        }
    }
}
