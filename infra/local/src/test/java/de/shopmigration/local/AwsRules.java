package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent judges of AWS's rules the tests call on (infra/aws-rules): the SAM transform
 * of the installed aws-sam-translator, the IAM policy evaluator @cloud-copilot/iam-simulate and
 * AWS's CloudFormation Guard with the Control Tower rules (@cdklabs/cdk-validator-cfnguard).
 * Each runs as a process of its own, which the helper waits for and kills by its PID if it hangs.
 */
final class AwsRules {

    static final Path HOME = Repo.root().resolve("infra/aws-rules");
    private static final Path NODE_MODULES = HOME.resolve("node_modules");

    private AwsRules() {
    }

    /** The npm packages must be installed; make test installs them (npm ci), a bare mvn run does not. */
    static void requireInstalled() {
        if (!Files.isDirectory(NODE_MODULES.resolve("@cloud-copilot/iam-simulate"))
                || !Files.isDirectory(NODE_MODULES.resolve("@cdklabs/cdk-validator-cfnguard"))) {
            throw new AssertionError("The AWS rule checkers are not installed in " + NODE_MODULES
                    + ": run `npm ci --prefix infra/aws-rules` (make test does this before Maven)");
        }
    }

    /**
     * template.yaml as CloudFormation sees it after the SAM transform, for a deployment with
     * these parameters in this partition and region, written to {@code out}.
     */
    static Path transform(Map<String, Object> parameters, String partition, String region, Path out) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        // CloudFormation hands a CommaDelimitedList to the transform as its comma-separated text.
        parameters.forEach((k, v) -> values.put(k, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : v));
        values.put("AWS::Partition", partition);
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", LocalCloud.ACCOUNT);
        values.put("AWS::StackName", LocalCloud.STACK);
        Files.createDirectories(out.getParent());
        Path parametersFile = out.resolveSibling(out.getFileName() + ".parameters.json");
        Files.writeString(parametersFile, Json.write(Json.tree(values)));
        Map<String, String> env = Map.of("AWS_DEFAULT_REGION", region);
        String json = run(List.of("python3", HOME.resolve("sam_transform.py").toString(),
                Repo.root().resolve("template.yaml").toString(), parametersFile.toString()), null, env, 120);
        Files.writeString(out, json);
        return out;
    }

    /** Asks the IAM evaluator about each request; returns its results in order. */
    static List<JsonNode> evaluate(List<JsonNode> requests) {
        requireInstalled();
        var root = Json.object();
        requests.forEach(root.putArray("requests")::add);
        String out = run(List.of("node", HOME.resolve("evaluate.mjs").toString()), Json.write(root), Map.of(), 300);
        List<JsonNode> results = new ArrayList<>();
        Json.read(out).path("results").forEach(results::add);
        if (results.size() != requests.size()) {
            throw new AssertionError("The IAM evaluator answered " + results.size() + " of " + requests.size() + " requests: " + out);
        }
        return results;
    }

    /** The cfn-guard binary the npm package ships for this machine. */
    static Path cfnGuard() {
        requireInstalled();
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        Path binary = NODE_MODULES.resolve("@cdklabs/cdk-validator-cfnguard/bin/ubuntu")
                .resolve(arch.contains("aarch64") || arch.contains("arm64") ? "aarch64" : "x86_64").resolve("cfn-guard");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("No cfn-guard for " + arch + " at " + binary);
        }
        return binary;
    }

    /** AWS's Control Tower proactive control rules, as the npm package ships them. */
    static Path controlTowerRules() {
        requireInstalled();
        return NODE_MODULES.resolve("@cdklabs/cdk-validator-cfnguard/rules/control-tower/cfn-guard");
    }

    /** Runs a command; its standard output, or an AssertionError with what it printed. */
    static String run(List<String> command, String stdin, Map<String, String> env, long timeoutSeconds) {
        return run(command, stdin, env, timeoutSeconds, List.of(0)).stdout();
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result run(List<String> command, String stdin, Map<String, String> env, long timeoutSeconds, List<Integer> acceptedExitCodes) {
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            stdout = Files.createTempFile("aws-rules", ".out");
            stderr = Files.createTempFile("aws-rules", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(env);
            process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s (PID " + process.pid() + ", killed)");
            }
            Result result = new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
            if (!acceptedExitCodes.contains(result.exitCode())) {
                throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.stderr() + "\n" + result.stdout());
            }
            return result;
        } catch (IOException e) {
            throw new AssertionError("Could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + command.get(0), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            for (Path p : new Path[] {stdout, stderr}) {
                if (p != null) {
                    p.toFile().deleteOnExit();
                }
            }
        }
    }
}
