package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.links.LinkSigner;
import de.shopmigration.core.store.MigrationStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Rotating the link secret as docs/operations.md says (put-secret-value: the new value becomes
 * AWSCURRENT, the old one AWSPREVIOUS), with the functions resumed in new environments (what
 * SnapStart does after a restore): a link emailed before the rotation still works, links
 * emailed after it are signed with the new key, and two rotations later the first key is gone:
 * its links are refused like forged ones, while the same link signed with a key the secret
 * still has works. The value is never in a function's environment or in a log line.
 */
@Isolated("rotates the shared deployment's link secret: no other test may hold a link minted with a key it removes")
class LinkRotationTest extends CloudTest {

    /** What an operator does: a new value from Secrets Manager's own generator, put as the new current version. */
    private static String rotate(SecretsManagerClient secrets, String arn) {
        String value = secrets.getRandomPassword(b -> b.passwordLength(64L).excludePunctuation(true)).randomPassword();
        secrets.putSecretValue(b -> b.secretId(arn).secretString(value));
        return value;
    }

    private static String token(String link) {
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private static String linkId(String link) {
        return token(link).substring(0, token(link).indexOf('.'));
    }

    @Test
    void linksFromBeforeARotationWorkUntilTheNextAndNewLinksUseTheNewKey() {
        String id = "M-ROTATION-1";
        String arn = cloud.linkSecretArn();
        String first = cloud.linkSecret();
        assertThat(arn).as("the stack's generated secret").contains(":secret:LinkSecret-");
        assertThat(first).hasSize(64).matches("[A-Za-z0-9]+");

        cloud.startMigration(id, input("rotation", FAST, null));
        Mailbox.Mail questionnaire = cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        String questionnaireLink = questionnaire.link("Fragebogen ausfüllen");
        String statusLink = questionnaire.link("Stand des Umzugs ansehen");
        assertThat(new LinkSigner(first).verify(id, token(questionnaireLink))).as("signed with the first key").isPresent();

        String second;
        try (SecretsManagerClient secrets = cloud.secretsManager()) {
            second = rotate(secrets, arn);
        }
        assertThat(cloud.functions().restore()).as("every environment reads the keys again").contains("link keys read again");
        assertThat(cloud.linkSecret()).isEqualTo(second);

        // Emailed before the rotation: still works, to the end (the answer is taken).
        assertThat(browser.get(questionnaireLink).status()).isEqualTo(200);
        answerQuestionnaire(questionnaire, Map.of());
        Mailbox.Mail staff = cloud.mailbox().await(id, "CLUSTER_PREPARATION", WAIT);

        // Emailed after it: every link is signed with the new key only.
        List<String> after = staff.links().stream().filter(l -> l.contains("/m/" + id + "/")).toList();
        assertThat(after).isNotEmpty().allSatisfy(link -> {
            assertThat(new LinkSigner(second).verify(id, token(link))).as(link).isPresent();
            assertThat(new LinkSigner(first).verify(id, token(link))).as(link).isEmpty();
        });
        String clusterLink = staff.link("Cluster ist vorbereitet");
        assertThat(browser.get(clusterLink).status()).isEqualTo(200);

        String third;
        try (SecretsManagerClient secrets = cloud.secretsManager()) {
            third = rotate(secrets, arn);
        }
        cloud.functions().restore();

        // The first key is gone: its link is refused as a forged one is, and changes nothing.
        LinkClient.Page refused = browser.get(statusLink);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.title()).isEqualTo("Dieser Link ist nicht gültig");
        String tampered = clusterLink.substring(0, clusterLink.length() - 1) + (clusterLink.endsWith("A") ? "B" : "A");
        assertThat(browser.get(tampered).title()).as("the same page as for a tampered link").isEqualTo(refused.title());
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).audit().trail(id))
                    .anySatisfy(e -> assertThat(e.action()).isEqualTo("link rejected: forged or tampered link"));
        }
        // The link itself is still good: signed with the current key it opens the status page.
        String resigned = statusLink.substring(0, statusLink.lastIndexOf('/') + 1) + new LinkSigner(third).token(id, linkId(statusLink));
        assertThat(browser.get(resigned).status()).isEqualTo(200);
        // The second key is the previous one now: links from the staff email still work.
        assertThat(browser.get(clusterLink).status()).isEqualTo(200);

        // The key is read from Secrets Manager: no function's environment and no log line holds a value.
        for (String function : cloud.functions().names()) {
            Map<String, String> env = cloud.functions().declared(function).environment();
            assertThat(env.values()).as(function).noneMatch(v -> v.contains(first) || v.contains(second) || v.contains(third));
            assertThat(env.containsKey("LINK_SECRET_ARN")).as(function + " reads the secret only if it signs")
                    .isEqualTo(LeastPrivilegeTest.SIGNERS.contains(function));
        }
        synchronized (shared.log) {
            assertThat(shared.log).noneMatch(l -> l.contains(first) || l.contains(second) || l.contains(third));
        }
    }
}
