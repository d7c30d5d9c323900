package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Metric;
import de.shopmigration.core.lambda.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The staff dashboard in template.yaml: its body, with the Fn::Sub variables filled in as
 * CloudFormation would, is valid JSON in CloudWatch's dashboard body structure; every metric a
 * widget names is one the functions write (the catalogue, {@link Metric}), in the namespace
 * they write it to, with one of its dimension sets; every field a Logs Insights widget reads is
 * on the metric lines; and the alarm widget shows every alarm of the template.
 */
class TemplateDashboardTest {

    private static final String REGION = "eu-central-1";
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^}]*)\\}\\s+MetricName=\"([^\"]+)\"',\\s*'(Sum|Average|Maximum|Minimum|SampleCount)',\\s*(\\d+)\\)");
    private static final Set<String> METRIC_VIEWS = Set.of("timeSeries", "bar", "pie", "singleValue", "gauge", "table");
    private static final Set<String> LOG_VIEWS = Set.of("table", "timeSeries", "bar", "pie");
    private static final Set<String> STATS = Set.of("Sum", "Average", "Maximum", "Minimum", "SampleCount");
    /** Logs Insights words a query may use besides field names. */
    private static final Set<String> QUERY_WORDS = Set.of("SOURCE", "filter", "stats", "sort", "fields", "by", "as", "and", "or", "not",
            "asc", "desc", "count", "latest", "ispresent", "limit", "in");

    private final SamTemplate template;
    private final Set<String> alarms;

    TemplateDashboardTest() throws IOException {
        template = TemplateAndStateMachineTest.template();
        alarms = new TreeSet<>(template.logicalIdsOfType("AWS::CloudWatch::Alarm"));
    }

    /** Pseudo parameters, the function log group's name and, for alarms only, their ARNs. */
    private SamTemplate.Resolver resolver() {
        Map<String, Object> refs = new LinkedHashMap<>();
        refs.put("AWS::Region", REGION);
        refs.put("AWS::AccountId", LocalCloud.ACCOUNT);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", LocalCloud.STACK);
        refs.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, Object> attributes = new LinkedHashMap<>();
        alarms.forEach(a -> attributes.put(a + ".Arn", alarmArn(a)));
        SamTemplate.Resolver early = template.resolver(refs, attributes);
        refs.put("FunctionLogGroup", early.resolve(SamTemplate.properties(template.resource("FunctionLogGroup")).get("LogGroupName")));
        return template.resolver(refs, attributes);
    }

    private static String alarmArn(String logicalId) {
        return "arn:aws:cloudwatch:" + REGION + ":" + LocalCloud.ACCOUNT + ":alarm:" + LocalCloud.STACK + "-" + logicalId;
    }

    private JsonNode body() {
        List<String> dashboards = template.logicalIdsOfType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).containsExactly("MigrationDashboard");
        Object body = resolver().resolve(SamTemplate.properties(template.resource("MigrationDashboard")).get("DashboardBody"));
        assertThat(body).isInstanceOf(String.class);
        return Json.read((String) body);
    }

    /** The namespace every function writes its metric lines to, as the template sets it. */
    private String namespace() {
        return String.valueOf(resolver().resolve(template.globalVariables().get(Metrics.NAMESPACE_VARIABLE)));
    }

    @Test
    void theBodyIsDashboardJsonWithKnownWidgetsOnTheGrid() {
        JsonNode body = body();
        assertThat(body.path("widgets").isArray()).isTrue();
        assertThat(body.path("widgets").size()).isBetween(1, 500);
        assertThat(body.path("start").asText()).matches("-P(T\\d+[MH]|\\d+[DWM])");
        for (JsonNode w : body.path("widgets")) {
            String type = w.path("type").asText();
            assertThat(type).as(w.toString()).isIn("metric", "log", "alarm", "text");
            for (String field : List.of("x", "y", "width", "height")) {
                assertThat(w.path(field).isInt()).as(field + " of " + w).isTrue();
            }
            assertThat(w.path("width").asInt()).isBetween(1, 24);
            assertThat(w.path("x").asInt() + w.path("width").asInt()).as("inside the 24 columns: " + w).isLessThanOrEqualTo(24);
            assertThat(w.path("height").asInt()).isBetween(1, 1000);
            JsonNode p = w.path("properties");
            assertThat(p.isObject()).isTrue();
            switch (type) {
                case "text" -> assertThat(p.path("markdown").asText()).isNotBlank();
                case "alarm" -> assertThat(p.path("alarms").isArray() && !p.path("alarms").isEmpty()).isTrue();
                case "log" -> {
                    assertThat(p.path("region").asText()).isEqualTo(REGION);
                    assertThat(p.path("title").asText()).isNotBlank();
                    assertThat(p.path("view").asText()).isIn(LOG_VIEWS);
                    assertThat(p.path("query").asText()).startsWith("SOURCE '/aws/lambda/" + LocalCloud.STACK + "' |");
                }
                default -> {
                    assertThat(p.path("region").asText()).isEqualTo(REGION);
                    assertThat(p.path("title").asText()).isNotBlank();
                    assertThat(p.path("view").asText()).isIn(METRIC_VIEWS);
                    assertThat(p.path("metrics").isArray() && !p.path("metrics").isEmpty()).isTrue();
                }
            }
        }
        // No two widgets on the same cells.
        Set<String> cells = new HashSet<>();
        for (JsonNode w : body.path("widgets")) {
            for (int x = w.path("x").asInt(); x < w.path("x").asInt() + w.path("width").asInt(); x++) {
                for (int y = w.path("y").asInt(); y < w.path("y").asInt() + w.path("height").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as("cell " + x + "," + y + " taken twice").isTrue();
                }
            }
        }
    }

    @Test
    void everyMetricAWidgetNamesIsOneTheFunctionsWriteWithItsDimensions() {
        String namespace = namespace();
        assertThat(namespace).isEqualTo("ShopMigration/" + LocalCloud.STACK);
        Set<Metric> shown = EnumSet.noneOf(Metric.class);
        int searches = 0;
        for (JsonNode w : body().path("widgets")) {
            if (!w.path("type").asText().equals("metric")) {
                continue;
            }
            JsonNode p = w.path("properties");
            Set<String> ids = new HashSet<>();
            for (JsonNode entry : p.path("metrics")) {
                assertThat(entry.isArray() && !entry.isEmpty()).isTrue();
                if (entry.get(0).isObject()) {
                    JsonNode e = entry.get(0);
                    String expression = e.path("expression").asText();
                    assertThat(ids.add(e.path("id").asText())).as("expression ids are unique and set: " + e).isTrue();
                    assertThat(e.path("id").asText()).matches("[a-z][a-zA-Z0-9_]*");
                    Matcher m = SEARCH.matcher(expression);
                    int found = 0;
                    while (m.find()) {
                        found++;
                        searches++;
                        List<String> schema = List.of(m.group(1).split(","));
                        assertThat(schema.get(0)).as(expression).isEqualTo(namespace);
                        Metric metric = Metric.named(m.group(2));
                        assertThat(declaredSets(metric)).as(expression + ": a dimension set of " + metric)
                                .contains(new LinkedHashSet<>(schema.subList(1, schema.size())));
                        assertThat(Long.parseLong(m.group(4)) % 60).isZero();
                        shown.add(metric);
                    }
                    assertThat(found).as("every expression searches the catalogue's metrics: " + expression).isPositive();
                    assertThat(expression.replaceAll(SEARCH.pattern(), "S")).as("no other metric math than SUM over a search")
                            .matches("S|SUM\\(S\\)");
                    continue;
                }
                List<String> parts = new ArrayList<>();
                JsonNode options = null;
                for (JsonNode part : entry) {
                    if (part.isObject()) {
                        options = part;
                    } else {
                        parts.add(part.asText());
                    }
                }
                assertThat(parts).as("no '.' shorthand: " + entry).doesNotContain(".", "..");
                assertThat(parts.size() % 2).as("namespace, name and dimension pairs: " + entry).isZero();
                assertThat(parts.get(0)).isEqualTo(namespace);
                Metric metric = Metric.named(parts.get(1));
                Map<String, String> dims = new LinkedHashMap<>();
                for (int i = 2; i < parts.size(); i += 2) {
                    dims.put(parts.get(i), parts.get(i + 1));
                }
                assertThat(declaredSets(metric)).as(entry + ": a dimension set of " + metric).contains(new LinkedHashSet<>(dims.keySet()));
                dims.forEach((k, v) -> assertThat(Metric.Dimension.ofKey(k).allowed()).as(entry.toString()).contains(v));
                String stat = options != null && options.has("stat") ? options.path("stat").asText() : p.path("stat").asText();
                assertThat(stat).as("a statistic for " + entry).isIn(STATS);
                assertThat(options != null && options.has("period") || p.has("period") || p.path("setPeriodToTimeRange").asBoolean())
                        .as("a period for " + entry).isTrue();
                shown.add(metric);
            }
        }
        assertThat(searches).isPositive();
        assertThat(shown).as("the dashboard shows every metric of the catalogue").containsExactlyInAnyOrder(Metric.values());
    }

    private static Set<Set<String>> declaredSets(Metric metric) {
        Set<Set<String>> sets = new HashSet<>();
        for (List<Metric.Dimension> set : metric.dimensionSets()) {
            Set<String> keys = new LinkedHashSet<>();
            set.forEach(d -> keys.add(d.key()));
            sets.add(keys);
        }
        return sets;
    }

    @Test
    void everyFieldALogsInsightsWidgetReadsIsOnTheMetricLines() {
        Set<String> known = new HashSet<>(Metrics.PROPERTIES);
        for (Metric m : Metric.values()) {
            known.add(m.metricName());
            m.dimensions().forEach(d -> known.add(d.key()));
        }
        int queries = 0;
        for (JsonNode w : body().path("widgets")) {
            if (!w.path("type").asText().equals("log")) {
                continue;
            }
            queries++;
            String query = w.path("properties").path("query").asText();
            String code = query.substring(query.indexOf('|')).replaceAll("\"[^\"]*\"", "\"\"");
            Set<String> aliases = new HashSet<>();
            Matcher alias = Pattern.compile("\\bas\\s+([A-Za-z][A-Za-z0-9]*)").matcher(code);
            while (alias.find()) {
                aliases.add(alias.group(1));
            }
            Matcher word = Pattern.compile("(?<![@\\w])([A-Za-z][A-Za-z0-9]*)").matcher(code);
            while (word.find()) {
                String w2 = word.group(1);
                assertThat(QUERY_WORDS.contains(w2) || aliases.contains(w2) || known.contains(w2))
                        .as(w2 + " in " + query + " is a field the metric lines carry").isTrue();
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theAlarmWidgetShowsEveryAlarmOfTheTemplateAndNothingElse() {
        Set<String> shown = new TreeSet<>();
        for (JsonNode w : body().path("widgets")) {
            if (w.path("type").asText().equals("alarm")) {
                w.path("properties").path("alarms").forEach(a -> shown.add(a.asText()));
            }
        }
        Set<String> expected = new TreeSet<>();
        alarms.forEach(a -> expected.add(alarmArn(a)));
        assertThat(shown).isEqualTo(expected);
    }

    @Test
    void theStackOutputsTheDashboardsConsoleAddress() {
        String url = String.valueOf(template.outputs().get("DashboardUrl"));
        assertThat(url).contains("cloudwatch/home?region=${AWS::Region}#dashboards:name=${MigrationDashboard}",
                "console.aws.amazon.com", "console.amazonaws.cn", "console.amazonaws-us-gov.com");
    }
}
