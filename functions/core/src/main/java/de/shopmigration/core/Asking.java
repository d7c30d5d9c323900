package de.shopmigration.core;

import de.shopmigration.core.lambda.Collaborators;

import de.shopmigration.core.mail.AnswerFacts;
import de.shopmigration.core.mail.Attachment;
import de.shopmigration.core.mail.CopyFigures;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Guide;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.TestAccessGuide;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Starts (or re-enters, after a reminder) a wait for a person: keeps the newest task token
 * server-side, opens the wait's links and sends the request email once per wait. If someone
 * answered while the state machine was between two entries of the wait, their stored answer
 * is handed over at once.
 */
public final class Asking {

    private final Collaborators services;
    private final Supplier<SfnClient> sfn;
    private final Notifier notifier;
    private final WaitLinks waits;
    private final Overruns overruns;

    /** @param sfn needed only when a wait was answered between two entries: built then */
    public Asking(Collaborators services, Supplier<SfnClient> sfn) {
        this.services = services;
        this.sfn = sfn;
        this.notifier = new Notifier(services);
        this.waits = new WaitLinks(services);
        this.overruns = new Overruns(services);
    }

    /** SnapStart priming: the shared paths and the Step Functions client; nothing sent. */
    public void prime() {
        services.prime(true);
        sfn.get();
    }

    public void ask(String migrationId, Step step, int round, String variant, String taskToken, Instant enteredAt) {
        open(migrationId, step, round, taskToken, enteredAt).ifPresent(opened -> sendRequest(opened, variant));
    }

    /**
     * Hands a stored decision to the state machine: the background hand-over of a link page
     * whose own attempt found Step Functions unreachable. A stale token changes nothing (the
     * wait's next entry delivers the decision); an unreachable Step Functions fails this
     * invocation, which Lambda retries.
     */
    public void deliverStored(String migrationId, String waitKey) {
        services.store().waits().find(migrationId, waitKey).filter(Wait::resolved).ifPresent(wait -> {
            try {
                sfn.get().sendTaskSuccess(b -> b.taskToken(wait.taskToken()).output(wait.output()));
            } catch (software.amazon.awssdk.services.sfn.model.TaskTimedOutException
                     | software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException
                     | software.amazon.awssdk.services.sfn.model.InvalidTokenException stale) {
                // The state machine has moved on or re-entered the wait, which then finds the decision itself.
            }
        });
    }

    /** A wait that is open and has its links, ready for the request to go out. */
    public record Opened(MigrationRecord record, Wait waiting, Map<Purpose, String> urls, Instant now) {
    }

    /**
     * Stores the newest task token with the wait and opens its links. Empty when the wait was
     * already answered between two entries (then the stored answer is handed over instead), or
     * when this entry is stale (the state machine has since entered the wait again or moved on).
     */
    public Optional<Opened> open(String migrationId, Step step, int round, String taskToken, Instant enteredAt) {
        de.shopmigration.core.Rounds.check(migrationId, step, round);
        MigrationRecord record = services.store().records().get(migrationId);
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            throw new MigrationNotRunning(migrationId, record.status());
        }
        Instant now = services.clock().instant();
        Optional<Wait> current = services.store().waits().open(migrationId, step, round, taskToken, now, enteredAt == null ? now : enteredAt,
                waits.proposedLinks(step));
        if (current.isEmpty()) {
            // This invocation arrived after the state machine had moved on (its task timed out first).
            return Optional.empty();
        }
        Wait wait = current.get();
        if (now.equals(wait.openedAt())) {
            // This entry opened the wait (a re-entry after a reminder keeps the first opening time).
            services.metrics().waitOpened(migrationId, step);
        }
        if (wait.resolved()) {
            sfn.get().sendTaskSuccess(b -> b.taskToken(taskToken).output(wait.output()));
            return Optional.empty();
        }
        overruns.check(record, step);
        return Optional.of(new Opened(record, wait, waits.links(record, wait, now), now));
    }

    /**
     * Staff replace the customer's address after a bounce or a spam report: checked as the intake
     * checks it, stored in the record's request (every later email goes there), the unreachable
     * mark cleared (reminders go to the customer again), noted in the audit trail, and the
     * request of the step waiting for the customer, if one is, sent again to the new address with
     * the same links.
     *
     * @return what was done: the address stored and, if any, the step whose request went out again
     */
    public com.fasterxml.jackson.databind.node.ObjectNode correctCustomerEmail(String migrationId, String email) {
        String corrected = de.shopmigration.core.mail.CustomerEmail.check(email);
        MigrationRecord record = services.store().records().get(migrationId);
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            throw new MigrationNotRunning(migrationId, record.status());
        }
        Instant now = services.clock().instant();
        int correction = services.store().records().countCustomerEmailCorrection(migrationId);
        MigrationRecord updated = services.store().records().correctCustomerEmail(migrationId, corrected);
        services.store().audit().add(migrationId, new de.shopmigration.core.store.AuditEntry(now, "staff (console)",
                "customer address corrected", "was " + record.request().customer().email() + ", now " + corrected, null));
        var result = de.shopmigration.core.json.Json.object().put("migrationId", migrationId).put("email", corrected).putNull("resent");
        Optional<Wait> open = updated.openWait() == null ? Optional.empty() : services.store().waits().find(migrationId, updated.openWait());
        open.filter(w -> !w.resolved() && w.step().audience() == Audience.CUSTOMER).ifPresent(wait -> {
            Opened opened = new Opened(updated, wait, waits.links(updated, wait, now), now);
            sendRequest(opened, null, Map.of(), texts -> List.of(), "ASK#" + wait.key() + "#TO#" + correction);
            result.put("resent", wait.step().name());
        });
        return result;
    }

    /** The request email of an open wait, once per wait however often it is re-entered. */
    public void sendRequest(Opened opened, String variant) {
        sendRequest(opened, variant, Map.of());
    }

    /** @param extraValues placeholders the variant's texts need beyond the usual ones */
    public void sendRequest(Opened opened, String variant, Map<String, String> extraValues) {
        sendRequest(opened, variant, extraValues, texts -> List.of());
    }

    /** @param extraFacts facts the variant adds, in the recipient's texts (e.g. what the copy tooling answered) */
    public void sendRequest(Opened opened, String variant, Map<String, String> extraValues,
                            java.util.function.Function<Texts, List<EmailContent.Fact>> extraFacts) {
        sendRequest(opened, variant, extraValues, extraFacts, "ASK#" + opened.waiting().key());
    }

    /** @param dedupKey once per wait; a request sent again (to a corrected address) has a key of its own */
    private void sendRequest(Opened opened, String variant, Map<String, String> extraValues,
                             java.util.function.Function<Texts, List<EmailContent.Fact>> extraFacts, String dedupKey) {
        Step step = opened.waiting().step();
        String textKey = WaitLinks.askKey(step, variant);
        Texts texts = notifier.texts(opened.record(), step.audience());
        String id = opened.record().migrationId();
        List<Attachment> attachments = switch (step) {
            case TEST_RESULTS -> List.of(DocumentKind.TEST_SCENARIOS.read(services.store(), id));
            case GO_LIVE_WAIT -> List.of(DocumentKind.GO_LIVE_INVITE.read(services.store(), id));
            default -> List.of();
        };
        Map<String, String> values = new java.util.HashMap<>(extraValues);
        if (opened.record().booking() != null) {
            values.put("slot", TimeFormats.human(opened.record().booking().start(), texts.language()));
        }
        if (step == Step.SLOT_BOOKING) {
            // The booking request names the deployment's office hours, not the plan's defaults.
            values.putAll(services.officeHours().values(texts.language()));
        }
        // The notifier's audit entry ("email sent: <step>", with audience and round) is the one for the request.
        List<EmailContent.Fact> facts = new ArrayList<>(facts(opened.record(), step, texts));
        facts.addAll(extraFacts.apply(texts));
        notifier.send(opened.record(), step.audience(), step.name(), dedupKey, textKey,
                values, facts, WaitLinks.actions(texts, textKey, opened.urls()), attachments, t -> guide(opened.record(), step, t));
    }

    /** The customer tests, and checks again before the DNS switch, on the test system: how to get there. */
    private Guide guide(MigrationRecord record, Step step, Texts texts) {
        Map<String, String> values = notifier.values(record);
        return switch (step) {
            case TEST_RESULTS -> TestAccessGuide.of(record, texts, values, TestAccessGuide.Occasion.TEST_RUN);
            case GO_LIVE_CHECK -> TestAccessGuide.of(record, texts, values, TestAccessGuide.Occasion.GO_LIVE_CHECK);
            default -> null;
        };
    }

    private String fullDescription(String migrationId, Step reported, MigrationRecord.Decision d) {
        return services.store().waits().find(migrationId, Wait.key(reported, d.round())).map(Wait::output)
                .map(output -> de.shopmigration.core.json.Json.read(output).path("description").asText(d.description()))
                .orElse(d.description());
    }

    /** What staff need in front of them to act without opening anything else. */
    private List<EmailContent.Fact> facts(MigrationRecord record, Step step, Texts texts) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        if (step == Step.EXTERNAL_DNS_SWITCH) {
            var request = record.request();
            for (var e : record.dns().external().values()) {
                String target = e.type().equals("A") ? request.newIp() : request.newIpv6();
                facts.add(new EmailContent.Fact(e.name() + " (" + e.type() + ")", target == null
                        ? texts.get("external.delete") : texts.get("external.set", Map.of("value", target, "ttl", Integer.toString(request.targetTtl())))));
            }
            return facts;
        }
        if (step == Step.TEST_RESULTS) {
            // What was checked automatically before the customer was asked to test.
            services.store().siteChecks().latest(record.migrationId(), SiteCheckRun.Kind.TEST_SYSTEM).ifPresent(run ->
                    facts.add(new EmailContent.Fact(texts.get("sitecheck.fact.label"), texts.get(switch (run.verdict()) {
                        case PASSED -> "sitecheck.fact.passed";
                        case BLOCKED -> "sitecheck.fact.overridden";
                        case SKIPPED -> "sitecheck.fact.skipped";
                    }, Map.of("pages", Integer.toString(run.pages()))))));
        }
        if (step.audience() != Audience.STAFF) {
            return facts;
        }
        boolean german = texts.language() == de.shopmigration.core.Language.DE;
        var request = record.request();
        facts.add(new EmailContent.Fact(german ? "Kunde" : "Customer", request.customer().name()
                + (request.customer().company() != null ? " (" + request.customer().company() + ")" : "")
                + " <" + request.customer().email() + ">"));
        facts.add(new EmailContent.Fact("Domains", String.join(", ", request.domains().stream().map(d -> d.name()
                + (d.inRoute53() ? " (Route 53)" : (german ? " (DNS extern)" : " (external DNS)"))).toList())));
        facts.add(new EmailContent.Fact(german ? "Neuer Server" : "New server",
                request.newIp() + (request.newIpv6() != null ? " / " + request.newIpv6() : "")));
        if (step == Step.PROBLEM_FIX || step == Step.GO_LIVE_FIX) {
            Step reported = step == Step.PROBLEM_FIX ? Step.TEST_RESULTS : Step.GO_LIVE_CHECK;
            // The record keeps the start of the description; the whole text is in the reported wait's own item.
            record.decisions().stream().filter(d -> d.step().equals(reported.name()) && d.description() != null)
                    .reduce((a, b) -> b)
                    .ifPresent(d -> facts.add(EmailContent.Fact.quoted(texts.get("field.description.label"),
                            fullDescription(record.migrationId(), reported, d),
                            texts.get("quote.customer", Messages.values(record.request(), "")))));
        }
        if (step == Step.SITE_REVIEW || step == Step.GO_LIVE_SITE_REVIEW || step == Step.SWITCH_SITE_REVIEW) {
            services.store().siteChecks().latest(record.migrationId(), SiteCheckRun.Kind.of(step)).ifPresent(run -> {
                run.blocking().forEach(b -> facts.add(new EmailContent.Fact(texts.get("sitecheck.fact.finding"), b)));
                if (run.blockingCount() > run.blocking().size()) {
                    facts.add(new EmailContent.Fact(texts.get("sitecheck.fact.finding"), "… +" + (run.blockingCount() - run.blocking().size())));
                }
                run.warnings().forEach(w -> facts.add(new EmailContent.Fact(texts.get("sitecheck.fact.warning"), w)));
            });
        }
        if (step == Step.DNS_REVIEW) {
            record.dns().problems().forEach(p -> facts.add(new EmailContent.Fact("DNS", p)));
        }
        if (step == Step.DNS_MISMATCH) {
            if (record.dns().mismatch() != null) {
                facts.add(new EmailContent.Fact("Route 53", record.dns().mismatch()));
            }
            record.dns().originals().values().forEach(o -> facts.add(new EmailContent.Fact(o.name() + " " + o.type(),
                    String.join(", ", o.values()) + " (TTL " + Math.min(o.ttl(), record.request().targetTtl()) + " s)")));
        }
        if (step == Step.GO_LIVE_WAIT) {
            // Every booked go-live at a glance: the staff calendar feed's secret address.
            facts.add(new EmailContent.Fact(texts.get("calendar.fact"),
                    new de.shopmigration.core.StaffCalendar(services.store(), services.links()).url(services.clock().instant())));
        }
        if (step == Step.MAINTENANCE_OFF) {
            // Staff switch the shop back on: the final copy's figures are what they check first.
            facts.addAll(CopyFigures.facts(record.latestCopy("final").orElse(null), texts));
        }
        if (step == Step.CLUSTER_PREPARATION && record.answers() != null) {
            facts.addAll(AnswerFacts.of(record.answers(), texts, texts.get("quote.customer", Messages.values(record.request(), ""))));
        }
        return facts;
    }
}
