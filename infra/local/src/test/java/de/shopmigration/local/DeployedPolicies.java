package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM side of one deployment, read from the SAM-transformed template with every intrinsic
 * function resolved as CloudFormation would for the deployment's parameters: each role with its
 * inline policy documents, which role each function, state machine and rule acts as, and the
 * state machines' definitions. Physical names follow the local cloud's (function name = logical
 * id, {@code <stack>-MigrationTable}, the state machines' Name), so they match the recorded calls.
 */
final class DeployedPolicies {

    /** A role: its logical id, ARN, inline policies (name to document) and managed policy ARNs. */
    record Role(String logicalId, String arn, Map<String, Map<String, Object>> inlinePolicies, List<String> managedPolicies) {
    }

    final String partition;
    final String region;
    final SamTemplate transformed;
    final SamTemplate.Resolver resolver;
    /** Role logical id by the principal that acts as it: function, state machine or rule logical id. */
    final Map<String, String> roleOf = new LinkedHashMap<>();
    final Map<String, Role> roles = new LinkedHashMap<>();

    private DeployedPolicies(String partition, String region, SamTemplate transformed, Map<String, Object> parameters,
                             Map<String, String> physicalIds) {
        this.partition = partition;
        this.region = region;
        this.transformed = transformed;
        this.resolver = resolver(transformed, parameters, physicalIds, partition, region);
        readRoles();
    }

    /** Transforms template.yaml for these parameters (into {@code folder}) and resolves it. */
    static DeployedPolicies of(Map<String, Object> parameters, String partition, String region, Path folder) throws IOException {
        return of(parameters, Map.of(), partition, region, folder);
    }

    /**
     * The same for a deployment whose stack made up some names ({@link LocalCloud#physicalIds}: the
     * generated secret's ARN ends in six random characters); a name not given is made up here.
     */
    static DeployedPolicies of(Map<String, Object> parameters, Map<String, String> physicalIds, String partition, String region, Path folder)
            throws IOException {
        Path file = AwsRules.transform(parameters, partition, region, folder.resolve("template-" + partition + ".json"));
        return new DeployedPolicies(partition, region, SamTemplate.load(file), parameters, physicalIds);
    }

    String arn(String service, String resource) {
        return "arn:" + partition + ":" + service + ":" + region + ":" + LocalCloud.ACCOUNT + ":" + resource;
    }

    private SamTemplate.Resolver resolver(SamTemplate t, Map<String, Object> parameters, Map<String, String> physicalIds, String partition,
                                          String region) {
        Map<String, Object> refs = new LinkedHashMap<>(parameters);
        refs.put("AWS::Partition", partition);
        refs.put("AWS::Region", region);
        refs.put("AWS::AccountId", LocalCloud.ACCOUNT);
        refs.put("AWS::StackName", LocalCloud.STACK);
        refs.put("AWS::URLSuffix", partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com");
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> stateMachines = new LinkedHashMap<>();
        // A function's name is its FunctionName where the template gives one (as in the local cloud), else its logical id.
        SamTemplate.Resolver early = t.resolver(refs, attributes);
        Map<String, String> functionNames = new LinkedHashMap<>();
        t.resources().forEach((id, r) -> {
            Map<String, Object> resource = asMap(r);
            if ("AWS::Lambda::Function".equals(resource.get("Type"))) {
                Object name = SamTemplate.properties(resource).get("FunctionName");
                functionNames.put(id, name == null ? id : String.valueOf(early.resolve(name)));
            }
        });
        t.resources().forEach((id, r) -> {
            Map<String, Object> resource = asMap(r);
            Map<String, Object> props = SamTemplate.properties(resource);
            String type = String.valueOf(resource.get("Type"));
            switch (type) {
                case "AWS::Lambda::Function" -> {
                    refs.put(id, functionNames.get(id));
                    attributes.put(id + ".Arn", arn("lambda", "function:" + functionNames.get(id)));
                }
                case "AWS::Lambda::Alias" -> refs.put(id, arn("lambda", "function:"
                        + functionNames.get(String.valueOf(asMap(props.get("FunctionName")).get("Ref"))) + ":" + props.get("Name")));
                case "AWS::Lambda::Version" -> refs.put(id, arn("lambda", "function:"
                        + functionNames.get(String.valueOf(asMap(props.get("FunctionName")).get("Ref"))) + ":1"));
                case "AWS::DynamoDB::Table" -> {
                    refs.put(id, LocalCloud.STACK + "-" + id);
                    attributes.put(id + ".Arn", arn("dynamodb", "table/" + LocalCloud.STACK + "-" + id));
                }
                case "AWS::IAM::Role" -> {
                    refs.put(id, id);
                    attributes.put(id + ".Arn", "arn:" + partition + ":iam::" + LocalCloud.ACCOUNT + ":role/" + id);
                }
                case "AWS::SQS::Queue" -> {
                    // CloudFormation names a queue <stack>-<logical id>-<suffix>; the suffix does not matter here.
                    String name = LocalCloud.STACK + "-" + id;
                    refs.put(id, "https://sqs." + region + ".amazonaws.com/" + LocalCloud.ACCOUNT + "/" + name);
                    attributes.put(id + ".Arn", arn("sqs", name));
                    attributes.put(id + ".QueueName", name);
                }
                // Ref gives the secret's full ARN: its name (CloudFormation's <logical id>-<random>) and six more characters.
                case "AWS::SecretsManager::Secret" -> refs.put(id, physicalIds.getOrDefault(id, arn("secretsmanager", "secret:" + id + "-Ab12Cd34Ef56-gH78iJ")));
                case "AWS::StepFunctions::StateMachine" -> stateMachines.put(id, String.valueOf(props.get("StateMachineName")));
                // Named as the local cloud names them: a topic by its TopicName (else <stack>-<id>), the stack's configuration set <stack>-<id>.
                case "AWS::SNS::Topic" -> refs.put(id, arn("sns", props.containsKey("TopicName")
                        ? String.valueOf(early.resolve(props.get("TopicName"))) : LocalCloud.STACK + "-" + id));
                case "AWS::SES::ConfigurationSet" -> refs.put(id, LocalCloud.STACK + "-" + id);
                // A schedule group by its Name, as the local cloud creates it.
                case "AWS::Scheduler::ScheduleGroup" -> refs.put(id, props.containsKey("Name")
                        ? String.valueOf(early.resolve(props.get("Name"))) : LocalCloud.STACK + "-" + id);
                default -> refs.put(id, id);
            }
        });
        // Attributes that are no ARN (a version number, an API endpoint) stand for themselves.
        t.resources().values().forEach(r -> otherAttributes(r, attributes));
        SamTemplate.Resolver first = t.resolver(refs, attributes);
        // A state machine's name is itself an expression (Fn::Sub of the stack name).
        stateMachines.forEach((id, name) -> {
            Object resolved = first.resolve(asMap(t.resource(id).get("Properties")).get("StateMachineName"));
            String arn = arn("states", "stateMachine:" + resolved);
            refs.put(id, arn);
            attributes.put(id + ".Arn", arn);
            attributes.put(id + ".Name", String.valueOf(resolved));
        });
        return t.resolver(refs, attributes);
    }

    private static void otherAttributes(Object node, Map<String, Object> attributes) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("Fn::GetAtt") instanceof List<?> l && l.size() == 2) {
                attributes.putIfAbsent(l.get(0) + "." + l.get(1), l.get(0) + "." + l.get(1));
            }
            map.values().forEach(v -> otherAttributes(v, attributes));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> otherAttributes(v, attributes));
        } else if (node instanceof String s) {
            Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+\\.[A-Za-z0-9.]+)}").matcher(s);
            while (m.find()) {
                attributes.putIfAbsent(m.group(1), m.group(1));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private void readRoles() {
        for (String id : transformed.logicalIdsOfType("AWS::IAM::Role")) {
            Map<String, Object> props = (Map<String, Object>) resolver.resolve(SamTemplate.properties(transformed.resource(id)));
            Map<String, Map<String, Object>> inline = new LinkedHashMap<>();
            for (Object p : (List<Object>) props.getOrDefault("Policies", List.of())) {
                Map<String, Object> policy = (Map<String, Object>) p;
                inline.put(String.valueOf(policy.get("PolicyName")), (Map<String, Object>) policy.get("PolicyDocument"));
            }
            List<String> managed = new ArrayList<>();
            for (Object m : (List<Object>) props.getOrDefault("ManagedPolicyArns", List.of())) {
                managed.add(String.valueOf(m));
            }
            roles.put(id, new Role(id, "arn:" + partition + ":iam::" + LocalCloud.ACCOUNT + ":role/" + id, inline, managed));
            // A role a service assumes (the watch's schedule) signs as itself in the local cloud.
            roleOf.put(id, id);
        }
        for (String id : transformed.logicalIdsOfType("AWS::Lambda::Function")) {
            roleOf.put(id, roleId(SamTemplate.properties(transformed.resource(id)).get("Role")));
        }
        for (String id : transformed.logicalIdsOfType("AWS::StepFunctions::StateMachine")) {
            roleOf.put(id, roleId(SamTemplate.properties(transformed.resource(id)).get("RoleArn")));
        }
        for (String id : transformed.logicalIdsOfType("AWS::Events::Rule")) {
            for (Object target : (List<Object>) SamTemplate.properties(transformed.resource(id)).getOrDefault("Targets", List.of())) {
                Object roleArn = asMap(target).get("RoleArn");
                if (roleArn != null) {
                    String role = roleId(roleArn);
                    // The stand-in for the rule signs with the role's logical id (LocalCloud.eventRuleRole).
                    roleOf.put(role, role);
                }
            }
        }
    }

    /** The role a {@code Fn::GetAtt [<Role>, Arn]} names. */
    @SuppressWarnings("unchecked")
    private static String roleId(Object getAtt) {
        if (getAtt instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> l) {
            return String.valueOf(l.get(0));
        }
        throw new AssertionError("Expected Fn::GetAtt [<role>, Arn], found " + getAtt);
    }

    /** The role a principal acts as. */
    Role roleFor(String principal) {
        String role = roleOf.get(principal);
        if (role == null || !roles.containsKey(role)) {
            throw new AssertionError("The transformed template gives " + principal + " no role (principals: " + roleOf.keySet() + ")");
        }
        return roles.get(role);
    }

    /** A state machine's definition with its DefinitionSubstitutions applied, read from template.yaml's DefinitionUri. */
    @SuppressWarnings("unchecked")
    JsonNode definition(String stateMachine) throws IOException {
        SamTemplate original = TemplateAndStateMachineTest.template();
        Path file = Repo.root().resolve(String.valueOf(SamTemplate.properties(original.resource(stateMachine)).get("DefinitionUri")));
        Map<String, Object> subs = (Map<String, Object>) resolver.resolve(
                SamTemplate.properties(transformed.resource(stateMachine)).getOrDefault("DefinitionSubstitutions", Map.of()));
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(Files.readString(file));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = subs.get(m.group(1));
            if (value == null) {
                throw new AssertionError(stateMachine + ": no DefinitionSubstitution for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return Json.read(out.toString());
    }

    List<String> stateMachines() {
        return transformed.logicalIdsOfType("AWS::StepFunctions::StateMachine");
    }

    /** The state machine's ARN. */
    String stateMachineArn(String logicalId) {
        return String.valueOf(resolver.resolve(Map.of("Ref", logicalId)));
    }
}
