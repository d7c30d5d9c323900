package de.shopmigration.core.links;

import de.shopmigration.core.LinkSecretUnavailable;
import de.shopmigration.core.MissingConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The link secret's keys: current signs, current and previous verify, a missing previous is no
 * error, a warm environment reads nothing, and a signature no key matches reads again at most
 * once per interval.
 */
class LinkKeysTest {

    static final String K1 = "first-key-0123456789-abcdefghijklmnopqrstuv";
    static final String K2 = "second-key-0123456789-abcdefghijklmnopqrstu";
    static final String K3 = "third-key-0123456789-abcdefghijklmnopqrstuv";

    /** A secret with staging labels, as Secrets Manager keeps it; counts every reading. */
    static final class FakeSecret implements LinkKeys.Source {
        final Map<String, String> stages = new HashMap<>();
        final List<String> reads = new ArrayList<>();
        RuntimeException failure;

        FakeSecret(String current) {
            stages.put(LinkKeys.CURRENT, current);
        }

        /** What PutSecretValue does: the new value becomes AWSCURRENT, the old current AWSPREVIOUS. */
        void put(String value) {
            stages.put(LinkKeys.PREVIOUS, stages.get(LinkKeys.CURRENT));
            stages.put(LinkKeys.CURRENT, value);
        }

        @Override
        public Optional<String> read(String stage) {
            reads.add(stage);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(stages.get(stage));
        }
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-03-02T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void pass(Duration d) {
            now = now.plus(d);
        }
    }

    final MovingClock clock = new MovingClock();

    private static String token(String key, String migrationId, String id) {
        return new LinkSigner(key).token(migrationId, id);
    }

    @Test
    void theCurrentKeySignsAndTheCurrentAndThePreviousVerify() {
        FakeSecret secret = new FakeSecret(K1);
        secret.put(K2);
        LinkSigner signer = new LinkSigner(LinkKeys.read("test", secret, clock));
        String id = signer.newId();
        assertThat(signer.token("M-1", id)).as("signed with AWSCURRENT, in the format of before").isEqualTo(token(K2, "M-1", id));
        assertThat(signer.verify("M-1", token(K2, "M-1", id))).contains(id);
        assertThat(signer.verify("M-1", token(K1, "M-1", id))).as("a link from before the rotation").contains(id);
        assertThat(signer.verify("M-1", token(K3, "M-1", id))).as("a key the secret never had").isEmpty();
        assertThat(signer.verify("M-2", token(K1, "M-1", id))).as("the previous key is no way around the migration check").isEmpty();
    }

    @Test
    void withoutAPreviousVersionOnlyTheCurrentKeyVerifies() {
        FakeSecret secret = new FakeSecret(K1);
        LinkSigner signer = new LinkSigner(LinkKeys.read("test", secret, clock));
        assertThat(secret.reads).as("the start reads the current key only").containsExactly(LinkKeys.CURRENT);
        String id = signer.newId();
        assertThat(signer.verify("M-1", token(K1, "M-1", id))).contains(id);
        assertThat(secret.reads).as("a matching signature reads nothing").containsExactly(LinkKeys.CURRENT);
        assertThat(signer.verify("M-1", token(K2, "M-1", id))).isEmpty();
        assertThat(signer.verify("M-1", token(K2, "M-1", id))).isEmpty();
        assertThat(secret.reads).as("the first signature the current key does not match asks for AWSPREVIOUS (not found), once")
                .containsExactly(LinkKeys.CURRENT, LinkKeys.PREVIOUS);
    }

    @Test
    void aWarmEnvironmentReadsNothing() {
        FakeSecret secret = new FakeSecret(K1);
        secret.put(K2);
        LinkSigner signer = new LinkSigner(LinkKeys.read("test", secret, clock));
        assertThat(secret.reads).containsExactly(LinkKeys.CURRENT);
        clock.pass(Duration.ofHours(5));
        for (int i = 0; i < 1000; i++) {
            String id = signer.newId();
            assertThat(signer.verify("M-1", signer.token("M-1", id))).contains(id);
            assertThat(signer.verify("M-1", token(K1, "M-1", id))).contains(id);
            String body = "{\"result\":\"RUNNING\"," + i + "}";
            assertThat(signer.signedWithAKey(body.getBytes(StandardCharsets.UTF_8), signer.sign(body))).isTrue();
        }
        assertThat(secret.reads).as("only the start and the first link from before the rotation read the secret")
                .containsExactly(LinkKeys.CURRENT, LinkKeys.PREVIOUS);
    }

    @Test
    void aSignatureNoKeyMatchesReadsAgainAtMostOncePerInterval() {
        FakeSecret secret = new FakeSecret(K1);
        LinkSigner stale = new LinkSigner(LinkKeys.read("test", secret, clock));
        secret.put(K2);
        String id = stale.newId();
        String fromANewerEnvironment = token(K2, "M-1", id);

        clock.pass(LinkKeys.REREAD_INTERVAL.minusSeconds(1));
        assertThat(stale.verify("M-1", fromANewerEnvironment)).as("read just now: not again yet").isEmpty();
        assertThat(secret.reads).hasSize(2);

        clock.pass(Duration.ofSeconds(1));
        assertThat(stale.verify("M-1", fromANewerEnvironment)).as("read again, and the rotation is seen").contains(id);
        assertThat(secret.reads).hasSize(4);
        assertThat(stale.token("M-1", id)).as("and from now on signed with the new key").isEqualTo(fromANewerEnvironment);
        assertThat(stale.verify("M-1", token(K1, "M-1", id))).as("the old key is the previous one now").contains(id);

        // A flood of forged links: one reading per interval, however many arrive.
        for (int i = 0; i < 500; i++) {
            assertThat(stale.verify("M-1", token(K3, "M-1", id))).isEmpty();
            String body = "{\"n\":" + i + "}";
            assertThat(stale.signedWithAKey(body.getBytes(StandardCharsets.UTF_8), new LinkSigner(K3).sign(body))).isFalse();
        }
        assertThat(secret.reads).hasSize(4);
        clock.pass(LinkKeys.REREAD_INTERVAL);
        assertThat(stale.verify("M-1", token(K3, "M-1", id))).isEmpty();
        assertThat(secret.reads).hasSize(6);
    }

    @Test
    void twoRotationsLaterTheFirstKeyVerifiesNothing() {
        FakeSecret secret = new FakeSecret(K1);
        LinkKeys keys = LinkKeys.read("test", secret, clock);
        LinkSigner signer = new LinkSigner(keys);
        String id = signer.newId();
        String old = signer.token("M-1", id);
        secret.put(K2);
        keys.afterRestore();
        assertThat(signer.verify("M-1", old)).contains(id);
        secret.put(K3);
        keys.afterRestore();
        assertThat(signer.verify("M-1", old)).isEmpty();
        assertThat(signer.verify("M-1", token(K2, "M-1", id))).contains(id);
        assertThat(signer.token("M-1", id)).isEqualTo(token(K3, "M-1", id));
    }

    @Test
    void aRestoreReadsTheKeysAgainAndKeepsTheSnapshotsWhenSecretsManagerFails() {
        FakeSecret secret = new FakeSecret(K1);
        LinkKeys keys = LinkKeys.read("test", secret, clock);
        LinkSigner signer = new LinkSigner(keys);
        String id = signer.newId();
        secret.put(K2);
        secret.failure = SdkClientException.builder().message("throttled").build();
        keys.afterRestore();
        assertThat(signer.token("M-1", id)).as("the snapshot's key still signs").isEqualTo(token(K1, "M-1", id));
        int reads = secret.reads.size();
        secret.failure = null;
        assertThat(signer.verify("M-1", token(K2, "M-1", id))).as("the next unmatched signature reads at once").contains(id);
        assertThat(secret.reads).hasSize(reads + 2);
    }

    @Test
    void theWebhookSignatureMayBeMadeWithThePreviousKey() {
        FakeSecret secret = new FakeSecret(K1);
        secret.put(K2);
        LinkSigner signer = new LinkSigner(LinkKeys.read("test", secret, clock));
        byte[] body = "{\"result\":\"SUCCEEDED\",\"files\":3}".getBytes(StandardCharsets.UTF_8);
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(signer.sign(text)).isEqualTo(new LinkSigner(K2).sign(text));
        assertThat(signer.signedWithAKey(body, new LinkSigner(K1).sign(text))).isTrue();
        assertThat(signer.signedWithAKey(body, new LinkSigner(K3).sign(text))).isFalse();
        assertThat(signer.signedWithAKey(body, null)).isFalse();
        assertThat(signer.signedWithAKey("{}".getBytes(StandardCharsets.UTF_8), new LinkSigner(K2).sign(text))).isFalse();
    }

    @Test
    void aShortOrMissingCurrentValueIsRefusedWithoutQuotingIt() {
        String shortValue = "only-twenty-characters";
        assertThatThrownBy(() -> LinkKeys.read("arn:secret", new FakeSecret(shortValue), clock))
                .isInstanceOf(LinkSecretUnavailable.class).hasMessageContaining("shorter than 32")
                .hasMessageNotContaining(shortValue);
        FakeSecret none = new FakeSecret(null);
        assertThatThrownBy(() -> LinkKeys.read("arn:secret", none, clock)).isInstanceOf(LinkSecretUnavailable.class);
        FakeSecret denied = new FakeSecret(K1);
        denied.failure = SdkClientException.builder().message("not authorized to perform: secretsmanager:GetSecretValue").build();
        assertThatThrownBy(() -> LinkKeys.read("arn:secret", denied, clock)).isInstanceOf(LinkSecretUnavailable.class)
                .hasMessageContaining("arn:secret").hasMessageContaining("GetSecretValue");
    }

    @Test
    void aPreviousValueTooShortToBeAKeyVerifiesNothing() {
        FakeSecret secret = new FakeSecret("short-old-value");
        secret.put(K1);
        LinkKeys keys = LinkKeys.read("test", secret, clock);
        assertThat(keys.verifying()).hasSize(1);
    }

    @Test
    void surroundingWhitespaceIsNotPartOfTheKey() {
        FakeSecret secret = new FakeSecret(K1 + "\n");
        LinkSigner signer = new LinkSigner(LinkKeys.read("test", secret, clock));
        assertThat(signer.token("M-1", "AAAAAAAAAAAAAAAAAAAAAA")).isEqualTo(token(K1, "M-1", "AAAAAAAAAAAAAAAAAAAAAA"));
    }

    @Test
    void aFunctionWithoutTheSecretMakesIdsButSignsNothing() {
        LinkSigner signer = new LinkSigner(LinkKeys.none());
        assertThat(signer.newId()).hasSize(22);
        assertThatThrownBy(() -> signer.token("M-1", signer.newId())).isInstanceOf(MissingConfiguration.class)
                .hasMessageContaining("LINK_SECRET_ARN");
    }
    @Test
    void aReadingInTheBackgroundGivesTheSameKeysAndRunsOffTheStartingThread() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        FakeSecret secret = new FakeSecret(K1);
        LinkKeys.Source slow = stage -> {
            threads.add(Thread.currentThread().getName());
            try {
                // Bounded, so a reading on the starting thread fails the test below instead of hanging it.
                release.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return secret.read(stage);
        };
        LinkKeys keys = LinkKeys.readInBackground("test", slow, clock);
        // The constructor returned while the reading waits: the start goes on meanwhile.
        release.countDown();
        assertThat(new LinkSigner(keys).token("M-1", "AAAAAAAAAAAAAAAAAAAAAA")).isEqualTo(token(K1, "M-1", "AAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(threads).containsExactly("link-keys");
        assertThat(secret.reads).containsExactly(LinkKeys.CURRENT);
    }

    @Test
    void aFailedBackgroundReadingFailsTheFirstUseWithItsOwnErrorAndTheNextUseReadsAgain() {
        FakeSecret secret = new FakeSecret(K1);
        secret.failure = SdkClientException.builder().message("Unable to execute HTTP request: connect timed out").build();
        LinkKeys keys = LinkKeys.readInBackground("arn:secret", secret, clock);
        assertThatThrownBy(keys::signing).isInstanceOf(LinkSecretUnavailable.class).hasMessageContaining("arn:secret");
        secret.failure = null;
        assertThat(keys.signing().getEncoded()).isEqualTo(K1.getBytes(StandardCharsets.UTF_8));
        assertThat(secret.reads).containsExactly(LinkKeys.CURRENT, LinkKeys.CURRENT);
    }
}
