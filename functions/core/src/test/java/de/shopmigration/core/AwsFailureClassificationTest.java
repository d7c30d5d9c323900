package de.shopmigration.core;

import de.shopmigration.core.lambda.JsonHandler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailureClassificationTest {

    private static AwsServiceException error(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Route53").errorCode(code).errorMessage("m").build()).build();
    }

    @Test
    void route53sBusySignalsAreRetriedByTheStateMachine() {
        assertThat(JsonHandler.classify(error("PriorRequestNotComplete", 400))).isInstanceOf(TransientAwsFailure.class);
        assertThat(JsonHandler.classify(error("Throttling", 400))).isInstanceOf(TransientAwsFailure.class);
        assertThat(JsonHandler.classify(error("InternalFailure", 500))).isInstanceOf(TransientAwsFailure.class);
    }

    @Test
    void refusalsThatRetryingCannotFixArePermanent() {
        RuntimeException denied = JsonHandler.classify(error("AccessDenied", 403));
        assertThat(denied).isInstanceOf(PermanentAwsFailure.class);
        assertThat(denied.getMessage()).isEqualTo("Route53 AccessDenied: m");
        assertThat(JsonHandler.classify(error("InvalidChangeBatch", 400))).isInstanceOf(PermanentAwsFailure.class);
    }

    @Test
    void aCallTheServiceNeverAnsweredIsRetriedNotAborted() {
        assertThat(JsonHandler.classify(ApiCallTimeoutException.create(20_000))).isInstanceOf(TransientAwsFailure.class);
        assertThat(JsonHandler.classify(SdkClientException.create("Unable to execute HTTP request: Read timed out",
                new SocketTimeoutException("Read timed out")))).isInstanceOf(TransientAwsFailure.class);
        assertThat(JsonHandler.classify(SdkClientException.create("Unable to marshall request")))
                .as("a client-side bug is not cured by waiting").isInstanceOf(PermanentAwsFailure.class);
    }
}
