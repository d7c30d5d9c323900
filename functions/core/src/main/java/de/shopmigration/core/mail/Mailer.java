package de.shopmigration.core.mail;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.store.MigrationStore;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageTag;

/**
 * Sends workflow emails through SES v2 as raw MIME, exactly once per migration, kind and
 * round, to addresses in the 7-bit form SES takes ({@link EmailAddress}): the email's key is claimed in DynamoDB before sending, and given back only if SES
 * refuses, so a retried step never mails anyone twice.
 */
public final class Mailer {

    private final Supplier<SesV2Client> ses;
    private final MigrationStore store;
    private final MailSettings settings;
    private final Clock clock;
    private final Supplier<String> claimants;

    /**
     * @param ses built on the first email, so functions that send none never load SES
     * @param claimants random ids for the claims (the link ids' source, renewed after a restore)
     */
    public Mailer(Supplier<SesV2Client> ses, MigrationStore store, MailSettings settings, Clock clock, Supplier<String> claimants) {
        this.ses = ses;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.claimants = claimants;
    }

    public MailSettings settings() {
        return settings;
    }

    /**
     * One email of a migration.
     *
     * @param kind the message kind (also in the {@code X-Migration-Kind} header)
     * @param dedupKey what makes this email unique within the migration, e.g. kind + round
     */
    public record Outgoing(String migrationId, String kind, String dedupKey, Audience audience, String toName, String toEmail,
                           Language language, EmailContent content, List<Attachment> attachments) {
    }

    /**
     * The email tags SES hands back in every event of the email ({@code mail.tags} of a bounce
     * or complaint), so the bounce function knows the migration, the kind and the reader
     * without a lookup. SES takes only ASCII letters, digits, '_' and '-' in a tag's name and
     * value, at most 256 of them (MessageTag in the SES API reference); migration ids are
     * made of those already (the input schema), other characters become '-'.
     */
    public static final String TAG_MIGRATION = "migration-id";
    public static final String TAG_KIND = "message-kind";
    public static final String TAG_AUDIENCE = "audience";

    static List<MessageTag> tags(Outgoing email) {
        return List.of(tag(TAG_MIGRATION, email.migrationId()), tag(TAG_KIND, email.kind()), tag(TAG_AUDIENCE, email.audience().name()));
    }

    private static MessageTag tag(String name, String value) {
        String safe = value.replaceAll("[^A-Za-z0-9_-]", "-");
        return MessageTag.builder().name(name).value(safe.length() > 256 ? safe.substring(0, 256) : safe).build();
    }

    /** @return true when this call sent the email, false when it had been sent before. */
    public boolean send(Outgoing email) {
        String claimant = claimants.get();
        boolean claimed;
        try {
            claimed = store.emails().claim(email.migrationId(), email.dedupKey(), clock.instant(), claimant);
        } catch (RuntimeException e) {
            // The claim may be stored while its answer was lost (a timeout): left there, the
            // retried step would take it for a sent email and the email would never go out.
            store.emails().release(email.migrationId(), email.dedupKey(), claimant, e);
            throw e;
        }
        if (!claimed) {
            return false;
        }
        String messageId;
        try {
            byte[] mime = mime(email);
            messageId = ses.get().sendEmail(b -> {
                b.fromEmailAddress(EmailAddress.ascii(settings.sender()))
                        .destination(d -> d.toAddresses(EmailAddress.ascii(email.toEmail())))
                        .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(mime))))
                        .emailTags(tags(email));
                if (settings.configurationSet() != null) {
                    b.configurationSetName(settings.configurationSet());
                }
            }).messageId();
        } catch (RuntimeException e) {
            store.emails().release(email.migrationId(), email.dedupKey(), claimant, e);
            throw e;
        }
        store.emails().sent(email.migrationId(), email.dedupKey(), messageId, email.kind(), email.toEmail());
        return true;
    }

    /** The email as SES receives it: MIME with a plain-text and an HTML part and the attachments. */
    byte[] mime(Outgoing email) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Migration-Id", email.migrationId());
        headers.put("X-Migration-Kind", email.kind());
        headers.put("Content-Language", email.language().code());
        return MimeWriter.write(new MimeWriter.Address(settings.providerName(), EmailAddress.ascii(settings.sender())),
                new MimeWriter.Address(email.toName(), EmailAddress.ascii(email.toEmail())), EmailAddress.ascii(settings.replyTo()),
                email.content().subject(), EmailRenderer.text(email.content()),
                EmailRenderer.html(email.content(), email.language().code(), settings.providerName()),
                email.attachments(), headers, ZonedDateTime.now(clock));
    }

    /** SnapStart priming: renders an email to nobody and builds the SES client; sends nothing. */
    public void prime(EmailContent content) {
        Outgoing priming = new Outgoing("PRIMING", "PRIMING", "PRIMING", Audience.STAFF, "Priming", settings.sender(), Language.DE, content, List.of());
        mime(priming);
        tags(priming);
        ses.get();
    }
}
