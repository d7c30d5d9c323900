package de.shopmigration.bounce;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.Collaborators;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Subscribed to the topic SES publishes bounces and complaints to (template: EmailEventsTopic):
 * input is the SNS event Lambda receives, each message one SES event. Logs one JSON line per
 * recipient with the migration, the event type and what came of it; never an address, a
 * subject or a server's words. A malformed invocation fails ({@link MalformedDeliveryEvent});
 * Lambda retries an asynchronous invocation twice and the function's error alarm fires.
 */
public final class BounceHandler implements RequestStreamHandler {

    private final DeliveryProblems problems;

    public BounceHandler() {
        this(Env.system());
    }

    public BounceHandler(Env env) {
        this(create(env));
        Priming.beforeSnapshot("BounceFunction", problems::prime);
    }

    public BounceHandler(DeliveryProblems problems) {
        this.problems = problems;
    }

    private static DeliveryProblems create(Env env) {
        Collaborators services = Collaborators.from(env);
        return new DeliveryProblems(services, new OpsAlerts(Lazy.of(() -> services.aws().configure(SnsClient.builder()).build()),
                env.require("OPS_TOPIC_ARN")));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        long started = System.nanoTime();
        List<DeliveryEvent> events;
        try {
            events = DeliveryEvents.fromSns(Json.read(in));
        } catch (IllegalArgumentException e) {
            // Not chained when the invocation is not JSON: the parser's message would quote it.
            MalformedDeliveryEvent malformed = e instanceof MalformedDeliveryEvent m ? m : new MalformedDeliveryEvent("The invocation is not JSON");
            log(context, null, null, "error", started, malformed);
            throw malformed;
        }
        int handled = 0;
        for (DeliveryEvent event : events) {
            long eventStarted = System.nanoTime();
            List<DeliveryProblems.Outcome> outcomes;
            try {
                outcomes = problems.handle(event);
            } catch (SdkException e) {
                RuntimeException classified = JsonHandler.classify(e);
                log(context, event, null, "error", eventStarted, classified);
                throw classified;
            } catch (RuntimeException e) {
                log(context, event, null, "error", eventStarted, e);
                throw e;
            }
            for (DeliveryProblems.Outcome outcome : outcomes) {
                log(context, event, outcome, outcome.name().toLowerCase(java.util.Locale.ROOT), eventStarted, null);
            }
            handled++;
        }
        Json.write(Json.object().put("events", handled), out);
    }

    /** Named fields only: the event carries addresses, subjects and the receiving server's words. */
    private static void log(Context context, DeliveryEvent event, DeliveryProblems.Outcome outcome, String text, long started, Throwable error) {
        if (context == null) {
            return;
        }
        ObjectNode line = Json.object();
        line.put("level", error != null ? "ERROR" : outcome == DeliveryProblems.Outcome.STAFF_UNREACHABLE ? "WARN" : "INFO");
        line.put("message", "delivery event");
        line.put("migrationId", event == null ? null : event.migrationId().orElse(null));
        line.put("function", context.getFunctionName() == null ? "BounceHandler" : context.getFunctionName());
        line.put("event", event == null ? null : event.eventType());
        if (event != null && event.bounceType() != null) {
            line.put("bounceType", event.bounceType());
        }
        line.put("audience", event == null ? null : event.audience().orElse(null));
        line.put("outcome", text);
        line.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (error != null) {
            line.put("errorType", error.getClass().getName());
        }
        context.getLogger().log(Json.write(line));
    }
}
