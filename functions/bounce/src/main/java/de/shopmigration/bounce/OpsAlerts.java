package de.shopmigration.bounce;

import java.util.function.Supplier;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The operations topic (template: OpsTopic), for what cannot go by email: a staff address that
 * no longer accepts our emails. Its subscribers are StaffEmail and OpsEmail through SNS's own
 * email delivery, which does not depend on the bounced address.
 */
public final class OpsAlerts {

    /** SNS takes a subject of ASCII text under 100 characters (Publish, API reference). */
    static final int SUBJECT_LIMIT = 99;

    private final Supplier<SnsClient> sns;
    private final String topicArn;

    /** @param sns built on the first alert, so invocations without one never load SNS */
    public OpsAlerts(Supplier<SnsClient> sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** @return SNS's message id */
    public String publish(String subject, String text) {
        return sns.get().publish(b -> b.topicArn(topicArn).subject(asciiSubject(subject)).message(text)).messageId();
    }

    /** Letters outside ASCII (an umlaut in a shop's name) and control characters become '?'. */
    static String asciiSubject(String subject) {
        StringBuilder out = new StringBuilder();
        subject.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        String ascii = out.toString().strip();
        return ascii.length() > SUBJECT_LIMIT ? ascii.substring(0, SUBJECT_LIMIT) : ascii;
    }

    /** SnapStart priming: the client is built; nothing is published. */
    void prime() {
        sns.get();
    }
}
