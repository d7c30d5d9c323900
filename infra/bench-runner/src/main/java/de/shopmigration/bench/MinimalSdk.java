package de.shopmigration.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;

/**
 * The SDK reference of the cold-start benchmark: the least a function can do, one DynamoDB
 * client (URL-connection HTTP client, region, credentials and endpoint from the environment,
 * as the functions configure theirs) and one ListTables call. Run with a function's unshrunk
 * dependencies (target/lambda-deps/*, the jars as Maven Central ships them) on the class path.
 * Prints the same lines as {@link Runner}.
 */
public final class MinimalSdk {

    private MinimalSdk() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        String spawn = System.getenv("BENCH_SPAWN_NANOS");
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))));
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        DynamoDbClient client = builder.build();
        long constructed = System.nanoTime();
        Runner.Constructed.mark();
        System.out.println("CONSTRUCTED " + (constructed - start));
        ListTablesResponse response = client.listTables();
        byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
        long done = System.nanoTime();
        System.out.println("RESPONSE " + body.length + " " + (done - start) + " " + (spawn == null ? -1 : done - Long.parseLong(spawn.trim())));
        System.out.flush();
        Runner.Responded.mark();
        if (spawn != null) {
            System.out.println("MAIN " + (start - Long.parseLong(spawn.trim())));
        }
        System.out.println("INVOKED " + (done - constructed));
        System.out.println("BODY " + response);
        System.out.println("CPU " + Runner.cpuNanos());
        Runner.httpStats(System.out);
        System.out.flush();
        System.exit(0);
    }
}
