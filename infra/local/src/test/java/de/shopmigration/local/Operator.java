package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What an operator does with `aws lambda invoke`: a function's command, run in-process like every function here. */
final class Operator {

    private Operator() {
    }

    static JsonNode invoke(LocalCloud cloud, String logicalId, String payload) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) cloud.functions().handler(logicalId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Functions.inContextOf(handler, () -> {
            handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
            return null;
        });
        return Json.read(out.toString(StandardCharsets.UTF_8));
    }
}
