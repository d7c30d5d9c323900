package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every AWS call the product makes on the local cloud, as IAM sees it: who made it (the
 * principal), the IAM action and the resource ARN it is authorised against. The Invoke front
 * records what passes it; IamPolicySimulationTest later asks an independent IAM evaluator
 * whether the template's policies allow each call, because moto enforces no IAM at all.
 *
 * <p>The caller is told apart by its access key: the local cloud gives each function its
 * logical id as AWS_ACCESS_KEY_ID (AWS hands each function its role's credentials), moto's Step
 * Functions interpreter signs with {@value #INTERPRETER}, and the EventBridge stand-in with the
 * rule's role. What the mapping below does not know is recorded as {@code unmapped:...}, so a
 * new kind of call fails the IAM test until it is mapped, instead of passing unchecked.
 */
public final class IamCalls {

    /** The access key moto's Step Functions interpreter signs its Lambda and DynamoDB calls with. */
    public static final String INTERPRETER = "ak";

    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

    /** One authorisation AWS makes: {@code principal} calls {@code action} on {@code resource}. */
    public record Call(String principal, String action, String resource) {
    }

    private final String partition;
    private final String region;
    private final String account;
    private final Set<String> principals;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();

    /**
     * @param principals the access keys whose calls are recorded (functions, interpreter, rule
     *                   role); the harness's own reads and writes are not the product's
     */
    public IamCalls(String partition, String region, String account, Set<String> principals) {
        this.partition = partition;
        this.region = region;
        this.account = account;
        this.principals = Set.copyOf(principals);
    }

    /** Records an AWS API request that passed the front (the Lambda Invoke API included). */
    public void record(String method, String rawPath, List<String> authorization, String target, byte[] body) {
        String principal = null;
        String service = null;
        for (String a : authorization) {
            Matcher m = ACCESS_KEY.matcher(a);
            if (m.find()) {
                principal = m.group(1);
                service = m.group(2);
            }
        }
        if (principal == null || !principals.contains(principal) || rawPath.startsWith("/moto-api/")) {
            return;
        }
        for (String[] actionAndResource : authorisations(service, method, rawPath, target, body)) {
            calls.add(new Call(principal, actionAndResource[0], actionAndResource[1]));
        }
    }

    /** What was recorded so far, sorted. */
    public List<Call> calls() {
        List<Call> out = new ArrayList<>(calls);
        out.sort(Comparator.comparing(Call::principal).thenComparing(Call::action).thenComparing(Call::resource));
        return out;
    }

    /**
     * Writes the calls with the deployment's template parameters and the names the stack made up
     * (a generated secret's ARN, which the policies name): everything the IAM test needs.
     */
    public void write(Path file, Map<String, Object> parameters, Map<String, String> physicalIds) throws IOException {
        ObjectNode root = Json.object();
        ObjectNode params = root.putObject("parameters");
        parameters.forEach((k, v) -> params.set(k, Json.tree(v)));
        ObjectNode physical = root.putObject("physicalIds");
        physicalIds.forEach(physical::put);
        ArrayNode list = root.putArray("calls");
        for (Call c : calls()) {
            list.addObject().put("principal", c.principal()).put("action", c.action()).put("resource", c.resource());
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(root));
    }

    /** The IAM authorisations one API request needs: pairs of action and resource ARN. */
    List<String[]> authorisations(String service, String method, String rawPath, String target, byte[] body) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        Matcher invoke = INVOKE.matcher(path);
        if (invoke.matches() && method.equals("POST")) {
            return List.<String[]>of(new String[] {"lambda:InvokeFunction", functionArn(URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8))});
        }
        String operation = target != null && target.contains(".") ? target.substring(target.indexOf('.') + 1) : null;
        return switch (service == null ? "" : service) {
            case "dynamodb" -> dynamoDb(operation, body);
            case "ses" -> ses(method, path, body);
            case "route53" -> route53(method, path);
            case "states" -> stepFunctions(operation, body);
            case "sns" -> sns(method, path, body);
            case "secretsmanager" -> secretsManager(operation, body);
            case "scheduler" -> scheduler(method, rawPath, body);
            default -> List.<String[]>of(unmapped(service, method, path, operation));
        };
    }

    private String functionArn(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn
                : "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + nameOrArn;
    }

    private String table(String name) {
        return "arn:" + partition + ":dynamodb:" + region + ":" + account + ":table/" + name;
    }

    /**
     * DynamoDB authorises a transaction item by item, with the item's own action
     * (PutItem, UpdateItem, DeleteItem, ConditionCheckItem; GetItem for TransactGetItems), and a
     * batch per table; an index read against the index ARN.
     */
    private List<String[]> dynamoDb(String operation, byte[] body) {
        JsonNode request = Json.read(new String(body, StandardCharsets.UTF_8));
        List<String[]> out = new ArrayList<>();
        switch (operation == null ? "" : operation) {
            case "TransactWriteItems", "TransactGetItems" -> {
                for (JsonNode item : request.path("TransactItems")) {
                    item.fieldNames().forEachRemaining(kind -> out.add(new String[] {
                        "dynamodb:" + switch (kind) {
                            case "Put" -> "PutItem";
                            case "Update" -> "UpdateItem";
                            case "Delete" -> "DeleteItem";
                            case "ConditionCheck" -> "ConditionCheckItem";
                            case "Get" -> "GetItem";
                            default -> "unmapped-transaction-item-" + kind;
                        }, table(item.path(kind).path("TableName").asText())}));
                }
            }
            case "BatchWriteItem", "BatchGetItem" ->
                request.path("RequestItems").fieldNames().forEachRemaining(t -> out.add(new String[] {"dynamodb:" + operation, table(t)}));
            case "" -> out.add(unmapped("dynamodb", "POST", "/", null));
            default -> {
                String resource = table(request.path("TableName").asText());
                if (request.hasNonNull("IndexName")) {
                    resource += "/index/" + request.get("IndexName").asText();
                }
                out.add(new String[] {"dynamodb:" + operation, resource});
            }
        }
        return out;
    }

    /**
     * SES v2 SendEmail is authorised against the sending identity and, when the email names one,
     * the configuration set. Which identity SES checks depends on what the operator verified
     * (the address or its domain; template.yaml allows either), so both are asked for. With raw
     * content AWS checks ses:SendRawEmail as well as ses:SendEmail (its error messages name
     * SendRawEmail for the v2 SendEmail operation: anymail/django-anymail issue 384), so both are
     * asked for too.
     */
    private List<String[]> ses(String method, String path, byte[] body) {
        if (!method.equals("POST") || !path.equals("/v2/email/outbound-emails")) {
            return List.<String[]>of(unmapped("ses", method, path, null));
        }
        JsonNode request = Json.read(new String(body, StandardCharsets.UTF_8));
        String from = request.path("FromEmailAddress").asText();
        Matcher angle = Pattern.compile("<([^>]+)>").matcher(from);
        String address = angle.find() ? angle.group(1) : from.strip();
        String identity = "arn:" + partition + ":ses:" + region + ":" + account + ":identity/";
        List<String> resources = new ArrayList<>(List.of(identity + address, identity + address.substring(address.indexOf('@') + 1)));
        if (request.hasNonNull("ConfigurationSetName")) {
            resources.add("arn:" + partition + ":ses:" + region + ":" + account + ":configuration-set/" + request.get("ConfigurationSetName").asText());
        }
        List<String> actions = request.path("Content").has("Raw") ? List.of("ses:SendEmail", "ses:SendRawEmail") : List.of("ses:SendEmail");
        List<String[]> out = new ArrayList<>();
        for (String action : actions) {
            for (String resource : resources) {
                out.add(new String[] {action, resource});
            }
        }
        return out;
    }

    /**
     * SNS speaks the query protocol: a form with Action and, for Publish, the TopicArn, which is
     * the resource IAM authorises sns:Publish against (Service Authorization Reference).
     */
    private List<String[]> sns(String method, String path, byte[] body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String action = form.get("Action");
        if (method.equals("POST") && "Publish".equals(action) && form.containsKey("TopicArn")) {
            return List.<String[]>of(new String[] {"sns:Publish", form.get("TopicArn")});
        }
        return List.<String[]>of(unmapped("sns", method, path, action));
    }

    private List<String[]> route53(String method, String path) {
        Matcher rrset = Pattern.compile("^/2013-04-01/hostedzone/([^/]+)/rrset/?$").matcher(path);
        Matcher zone = Pattern.compile("^/2013-04-01/hostedzone/([^/]+)$").matcher(path);
        Matcher change = Pattern.compile("^/2013-04-01/change/([^/]+)$").matcher(path);
        String prefix = "arn:" + partition + ":route53:::";
        if (rrset.matches()) {
            String action = method.equals("POST") ? "route53:ChangeResourceRecordSets" : "route53:ListResourceRecordSets";
            return List.<String[]>of(new String[] {action, prefix + "hostedzone/" + rrset.group(1)});
        }
        if (zone.matches() && method.equals("GET")) {
            return List.<String[]>of(new String[] {"route53:GetHostedZone", prefix + "hostedzone/" + zone.group(1)});
        }
        if (change.matches() && method.equals("GET")) {
            return List.<String[]>of(new String[] {"route53:GetChange", prefix + "change/" + change.group(1)});
        }
        return List.<String[]>of(unmapped("route53", method, path, null));
    }

    /**
     * SendTask* carry only a task token; the Service Authorization Reference gives them no
     * resource type, so they are recorded against "*" (the IAM test knows what AWS really checks).
     */
    private List<String[]> stepFunctions(String operation, byte[] body) {
        JsonNode request = Json.read(new String(body, StandardCharsets.UTF_8));
        String resource = switch (operation == null ? "" : operation) {
            case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat" -> "*";
            case "StopExecution", "DescribeExecution", "GetExecutionHistory" -> request.path("executionArn").asText();
            case "StartExecution", "DescribeStateMachine", "ListExecutions" -> request.path("stateMachineArn").asText();
            default -> null;
        };
        return resource == null ? List.<String[]>of(unmapped("states", "POST", "/", operation))
                : List.<String[]>of(new String[] {"states:" + operation, resource});
    }

    /**
     * EventBridge Scheduler's REST calls on one schedule ({@code /schedules/<name>}; the group in
     * the body or the query, "default" without one). Creating one also passes its target's role
     * (iam:PassRole, which the IAM test evaluates with iam:PassedToService = scheduler.amazonaws.com).
     */
    private List<String[]> scheduler(String method, String rawPath, byte[] body) {
        Matcher m = java.util.regex.Pattern.compile("^/schedules/([^/?]+)(?:\\?(.*))?$").matcher(rawPath);
        if (!m.matches()) {
            return List.<String[]>of(unmapped("scheduler", method, rawPath, null));
        }
        String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        JsonNode request = body == null || body.length == 0 ? Json.object() : Json.read(new String(body, StandardCharsets.UTF_8));
        String group = request.path("GroupName").asText("");
        if (group.isEmpty() && m.group(2) != null) {
            for (String pair : m.group(2).split("&")) {
                if (pair.startsWith("groupName=")) {
                    group = URLDecoder.decode(pair.substring("groupName=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        String arn = "arn:" + partition + ":scheduler:" + region + ":" + account + ":schedule/" + (group.isEmpty() ? "default" : group) + "/" + name;
        String action = switch (method) {
            case "POST" -> "CreateSchedule";
            case "PUT" -> "UpdateSchedule";
            case "DELETE" -> "DeleteSchedule";
            default -> "GetSchedule";
        };
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"scheduler:" + action, arn});
        String role = request.path("Target").path("RoleArn").asText("");
        if (!role.isEmpty()) {
            out.add(new String[] {"iam:PassRole", role});
        }
        return out;
    }

    /**
     * Secrets Manager authorises a call on a secret against the secret's full ARN (the six
     * characters it appends included), however the caller named it. The functions name the link
     * secret by its full ARN (LINK_SECRET_ARN); a name or partial ARN cannot be mapped here.
     */
    private List<String[]> secretsManager(String operation, byte[] body) {
        String secret = Json.read(new String(body, StandardCharsets.UTF_8)).path("SecretId").asText();
        if (operation == null || !secret.matches("arn:[a-z-]+:secretsmanager:[^:]+:[0-9]{12}:secret:.+-[A-Za-z0-9]{6}")) {
            return List.<String[]>of(unmapped("secretsmanager", "POST", "/", operation));
        }
        return List.<String[]>of(new String[] {"secretsmanager:" + operation, secret});
    }

    private static String[] unmapped(String service, String method, String path, String operation) {
        return new String[] {"unmapped:" + service + " " + method + " " + path + (operation == null ? "" : " " + operation), "*"};
    }
}
