package de.shopmigration.links;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.AuditEntry;
import de.shopmigration.core.Audience;
import de.shopmigration.core.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.Link;
import de.shopmigration.core.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.RecordStore;
import de.shopmigration.core.WaitStore.Use;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Services;
import de.shopmigration.core.Step;
import de.shopmigration.core.Times;
import de.shopmigration.core.Wait;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Texts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * The pages behind the emailed links. GET only ever shows a page (mail scanners open links);
 * the page's button POSTs. A POST checks the link, the form and the migration, stores the
 * answer together with using the link, and only then hands the decision to the state machine.
 */
public final class LinkPages {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern ROUTE = Pattern.compile("^/m/([^/]{1,100})/([^/]{1,120})(/callback)?/?$");
    private static final Pattern MIGRATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,79}");
    /** A path under a migration that no route serves: still worth an audit entry in that migration. */
    private static final Pattern UNDER_MIGRATION = Pattern.compile("^/m/([A-Za-z0-9][A-Za-z0-9_-]{2,79})/");
    /** The staff calendar feed: {@code /calendar/<token>.ics} (the suffix is for calendar clients that look for one). */
    private static final Pattern CALENDAR = Pattern.compile("^" + Links.CALENDAR_PATH + "([^/]{1,120}?)(?:\\.ics)?$");

    private final Services services;
    /** Only a decision, a heartbeat or an abort talks to Step Functions; a page view never does. */
    private final Supplier<SfnClient> sfn;
    private final Optional<String> stateMachineArn;
    /** Takes a stored answer to Step Functions in the background when the page's own hand-over fails. */
    private final Supplier<LambdaClient> lambda;
    private final Optional<String> deliveryFunction;
    private final ReportPages reports;

    public LinkPages(Services services, Supplier<SfnClient> sfn, Optional<String> stateMachineArn, Supplier<LambdaClient> lambda,
                     Optional<String> deliveryFunction) {
        this.services = services;
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.lambda = lambda;
        this.deliveryFunction = deliveryFunction;
        this.reports = new ReportPages(this, services);
    }

    /** An HTTP request as API Gateway hands it over; {@code baseUrl} is scheme, host and stage. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body, String sourceIp,
                          String baseUrl) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /**
     * SnapStart priming: the shared paths, a page rendered (what a forged link gets: no record,
     * so nothing is written) and the Step Functions client for decisions.
     */
    public void prime() {
        services.prime(true);
        handle(new Request("GET", "/m/PRIMING-1/" + services.links().signer().newId() + ".AAAAAAAAAAAAAAAAAAAAAA", Map.of(), null,
                "127.0.0.1", "https://localhost"));
        sfn.get();
    }

    public HttpResult handle(Request request) {
        Matcher m = ROUTE.matcher(request.path() == null ? "" : request.path());
        Language fallback = acceptLanguage(request);
        Instant now = services.clock().instant();
        Matcher calendar = CALENDAR.matcher(request.path() == null ? "" : request.path());
        if (calendar.matches()) {
            return staffCalendar(calendar.group(1), request, now);
        }
        if (!m.matches()) {
            Matcher under = UNDER_MIGRATION.matcher(request.path() == null ? "" : request.path());
            if (under.find()) {
                rejected(existing(under.group(1)), request, now, "request rejected: no such page");
            }
            return message(404, fallback, "error.notFound", null, "error", null);
        }
        String migrationId = m.group(1);
        String token = m.group(2);
        boolean callback = m.group(3) != null;
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (!get && !method.equals("POST") || callback && !method.equals("POST")) {
            rejected(existing(migrationId), request, now, "request rejected: method " + clipMethod(method));
            return message(405, fallback, "error.method", null, "error", null).withHeader("Allow", callback ? "POST" : "GET, POST");
        }
        if (request.body() != null && request.body().length > MAX_BODY_BYTES) {
            rejected(existing(migrationId), request, now, "request rejected: body too large");
            return message(413, fallback, "error.tooLarge", null, "error", null);
        }
        Links links = services.links().withBaseUrl(request.baseUrl());
        Optional<MigrationRecord> record = existing(migrationId);
        if (callback) {
            return CopyCallback.handle(this, () -> links.check(migrationId, token, now), record, request, now);
        }
        Links.Check check = links.check(migrationId, token, now);
        Language language = record.map(r -> r.request().language()).orElse(fallback);
        return switch (check) {
            case Links.Check.Forged f -> rejected(record, request, now, 403, language, "error.forged", "forged or tampered link");
            case Links.Check.Unknown u -> rejected(record, request, now, 404, language, "error.unknown", "unknown link");
            case Links.Check.Expired e -> rejected(record, request, now, 410, languageFor(e.link(), record, language), "error.expired", "expired link");
            case Links.Check.Revoked r -> rejected(record, request, now, 410, languageFor(r.link(), record, language), "error.revoked", "revoked link");
            case Links.Check.Used u -> {
                if (!get && u.link().reportKey() != null) {
                    reports.resend(u.link(), links);
                } else if (!get) {
                    redeliver(u.link());
                }
                yield message(get ? 200 : 409, languageFor(u.link(), record, language), "error.used", record.orElse(null), "info", u.link());
            }
            case Links.Check.Valid v -> record.isEmpty()
                    ? rejected(record, request, now, 404, language, "error.unknown", "link without record")
                    : get ? show(v.link(), record.get(), links) : act(v.link(), record.get(), request, links, now);
        };
    }

    // ---- the staff calendar feed --------------------------------------------------------------

    /**
     * Every booked go-live as an iCalendar feed, for a valid staff calendar link; read-only, so
     * GET (and HEAD) only. A forged, unknown, revoked or expired link gets the usual error page.
     */
    /** Stands for the staff calendar's links on its error pages (staff wording, no migration). */
    private static final Link CALENDAR_LINK = new Link(de.shopmigration.core.StaffCalendar.SCOPE, "-", Purpose.STAFF_CALENDAR, null,
            Instant.EPOCH, Instant.EPOCH, null, null);

    private HttpResult staffCalendar(String token, Request request, Instant now) {
        Language staff = services.mailer().settings().staffLanguage();
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return message(405, staff, "error.method", null, "error", null).withHeader("Allow", "GET");
        }
        Links links = services.links().withBaseUrl(request.baseUrl());
        return switch (new de.shopmigration.core.StaffCalendar(services.store(), links).check(token, now)) {
            case Links.Check.Valid v -> {
                String sender = services.mailer().settings().sender();
                yield HttpResult.calendar(200, StaffCalendarFeed.write(services.store().bookings().calendar(),
                        Texts.of(staff, Audience.STAFF), provider(), links, sender.substring(sender.indexOf('@') + 1), now));
            }
            case Links.Check.Forged f -> message(403, staff, "error.forged", null, "error", CALENDAR_LINK);
            case Links.Check.Unknown u -> message(404, staff, "error.unknown", null, "error", CALENDAR_LINK);
            case Links.Check.Revoked r -> message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
            case Links.Check.Expired e -> message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
            case Links.Check.Used u -> message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
        };
    }

    // ---- GET --------------------------------------------------------------------------------

    private HttpResult show(Link link, MigrationRecord record, Links links) {
        Purpose purpose = link.purpose();
        Texts t = texts(purpose, record);
        if (purpose == Purpose.STATUS) {
            return HttpResult.html(200, Pages.status(StatusPage.view(record, t, frame(t, record, purpose, "page.title.STATUS", null),
                    services.store(), services.clock().instant(), contact(record), services.officeHours())));
        }
        Optional<HttpResult> superseded = superseded(link, record, t, 200);
        if (superseded.isPresent()) {
            return superseded.get();
        }
        if (closed(link, record)) {
            return message(410, t.language(), "error.closed", record, "info", link);
        }
        if (link.waitKey() != null && decided(record, link)) {
            return message(200, t.language(), "error.decided", record, "info", link);
        }
        if (ReportPages.handles(purpose)) {
            return reports.show(link, record, links, t);
        }
        List<Field> fields = purpose.form() == Purpose.Form.SLOTS ? freeSlots(purpose, record, t) : Forms.fields(purpose, record, t, provider());
        String notice = purpose.form() == Purpose.Form.SLOTS && fields.get(0).options().isEmpty() ? t.get("page.slot.none") : null;
        return HttpResult.html(200, Pages.form(formView(purpose, record, t, links, fields, null, notice)));
    }

    // ---- POST -------------------------------------------------------------------------------

    private HttpResult act(Link link, MigrationRecord record, Request request, Links links, Instant now) {
        Purpose purpose = link.purpose();
        Texts t = texts(purpose, record);
        if (purpose == Purpose.STATUS) {
            return message(405, t.language(), "error.method", record, "error", link).withHeader("Allow", "GET");
        }
        Optional<HttpResult> superseded = superseded(link, record, t, 409);
        if (superseded.isPresent()) {
            return superseded.get();
        }
        if (closed(link, record)) {
            return message(410, t.language(), "error.closed", record, "info", link);
        }
        // A form sends application/x-www-form-urlencoded; a script posting JSON or anything else acts on nothing.
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded")) {
            rejected(Optional.of(record), request, now, "request rejected: content type " + clipMethod(String.valueOf(contentType)));
            return message(415, t.language(), "error.contentType", record, "error", link);
        }
        Map<String, String> posted;
        try {
            posted = FormBody.parse(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        } catch (FormBody.Malformed e) {
            return message(400, t.language(), "error.malformed", record, "error", link);
        }
        Forms.Checked checked = Forms.check(Forms.fields(purpose, record, t, provider()), posted, t,
                services.documentationAddressesArePublic());
        if (!checked.ok()) {
            return HttpResult.html(422, Pages.form(formView(purpose, record, t, links, checked.fields(), t.get("page.errors"), null)));
        }
        String actor = purpose.audience() == Audience.CUSTOMER ? "customer" : "staff";
        return switch (purpose) {
            case REPORT_ERROR -> reports.report(link, record, checked, request, links, now, t);
            case REPORT_ACKNOWLEDGED, REPORT_FIXED -> reports.act(link, record, checked, request, links, now, t);
            case ABORT -> abort(link, record, checked, request, now, t);
            case BOOK_SLOT, REBOOK -> book(link, record, checked, request, links, now, t, actor);
            case CANCEL_BOOKING -> cancelBooking(link, record, checked, request, now, t);
            default -> decide(link, record, checked, request, now, t, actor, Optional.empty());
        };
    }

    /** Stores the answer with the link's use and the wait's decision, then tells the state machine. */
    HttpResult decide(Link link, MigrationRecord record, Forms.Checked checked, Request request, Instant now, Texts t,
                      String actor, Optional<Runnable> onRefused) {
        Map<String, String> values = checked.values();
        Use use = answer(link, record, values, request, now, actor);
        if (!(use instanceof Use.Accepted)) {
            onRefused.ifPresent(Runnable::run);
        }
        Purpose purpose = link.purpose();
        return switch (use) {
            case Use.Accepted accepted -> message(200, t.language(), doneKey(purpose, record), record, "success", link,
                    values.containsKey("slot") ? Map.of("slot", Times.human(Instant.parse(values.get("slot")), t.language())) : Map.of());
            case Use.LinkAlreadyUsed used -> message(409, t.language(), "error.used", record, "info", link);
            case Use.WaitAlreadyDecided decided -> message(409, t.language(), "error.decided", record, "info", link);
            case Use.Gone gone -> message(410, t.language(), "error.expired", record, "error", link);
        };
    }

    /**
     * Records an answer to a wait: the decision (and what the purpose stores with it) goes into
     * the record in the same transaction that uses the link; the state machine hears of it
     * only afterwards.
     */
    Use answer(Link link, MigrationRecord record, Map<String, String> values, Request request, Instant now, String actor) {
        Purpose purpose = link.purpose();
        Wait wait = services.store().waits().find(record.migrationId(), link.waitKey()).orElseThrow();
        ObjectNode output = Json.object().put("decision", purpose.decision());
        String description = values.getOrDefault("description", values.get("reason"));
        if (description != null && !description.isEmpty()) {
            output.put(values.containsKey("description") ? "description" : "reason", description);
        } else {
            description = null;
        }
        RecordStore.Answer change = RecordStore.Answer.of(new MigrationRecord.Decision(wait.step().name(), wait.round(),
                purpose.decision(), MigrationRecord.summary(description), actor, now));
        switch (purpose) {
            case QUESTIONNAIRE -> {
                ObjectNode answers = Forms.answers(new Forms.Checked(Forms.fields(purpose, record, texts(purpose, record), provider()).stream()
                        .map(f -> f.value(values.get(f.name()))).toList(), true), record);
                change = change.withAnswers(answers);
                output.put("optimisationOrdered", answers.path("optimisationOrdered").asBoolean(false));
            }
            case MAINTENANCE_ON -> {
                change = change.withDowntimeStarted(new MigrationRecord.Downtime(now, null, null));
            }
            case COPY_DONE, COPY_FAILED -> {
                MigrationRecord.CopyResult copy = CopyForm.result(wait.step(), purpose, values, now);
                output.setAll((ObjectNode) Json.tree(copy));
                output.put("decision", purpose.decision());
                // Staff may correct the test access with any copy they confirm; the callback carries none.
                change = change.withCopy(copy, CopyForm.access(values, now).orElse(null));
            }
            case BOOK_SLOT, REBOOK -> {
                Instant start = Instant.parse(values.get("slot"));
                output.put("slotStart", start.toString());
                output.put("slotEnd", services.officeHours().end(start).toString());
                // The places the booking took, so the go-live function stores exactly what to give back.
                services.officeHours().cells(start).forEach(cell -> output.withArray("slotCells").add(cell.toString()));
            }
            default -> {
            }
        }
        Use use = services.store().waits().answer(link, Json.write(output), actor, request.sourceIp(), now, change);
        if (use instanceof Use.Accepted accepted) {
            services.metrics().waitAnswered(record.migrationId(), wait.step(),
                    wait.openedAt() == null ? java.time.Duration.ZERO : java.time.Duration.between(wait.openedAt(), now));
            try {
                deliver(accepted.decided(), Json.write(output));
                audit(record, actor, purpose.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + " (" + wait.step().name() + " round " + wait.round() + ")", description, request, now);
            } catch (SdkException afterStored) {
                // The answer is stored: the page must say so, or the person sends it again and is
                // told it was already done. The wait's next entry finds the stored decision.
                warn(record.migrationId(), "answer stored, hand-over or audit failed: " + afterStored.getClass().getSimpleName());
            }
        } else if (use instanceof Use.LinkAlreadyUsed) {
            redeliver(link);
        }
        return use;
    }

    /**
     * A used link is sent again: its answer may be stored while the state machine never heard
     * of it (the first click's delivery failed and its page said "try again"). Hand the stored
     * answer over again; a task that already has it refuses the token, which changes nothing.
     */
    private void redeliver(Link link) {
        if (link.waitKey() != null) {
            services.store().waits().find(link.migrationId(), link.waitKey()).filter(Wait::resolved)
                    .ifPresent(decided -> deliver(decided, decided.output()));
        }
    }

    /**
     * Hands the decision to the waiting task. If the token went stale (the wait timed out for a
     * reminder and is being re-entered), the re-entered wait finds the stored decision and
     * delivers it itself; nothing is lost either way. If Step Functions cannot be reached (a
     * timeout, throttling), the answer is stored already: the hand-over goes on in the
     * background, an asynchronous invocation of the delivery function that Lambda retries, and
     * the person is not asked to click again.
     */
    private void deliver(Wait wait, String output) {
        try {
            sfn.get().sendTaskSuccess(b -> b.taskToken(wait.taskToken()).output(output));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // Stale token: the wait's next entry delivers the stored decision.
        } catch (SdkException unreachable) {
            handOver(wait, unreachable);
        }
    }

    private void handOver(Wait wait, SdkException cause) {
        String function = deliveryFunction.orElseThrow(() -> cause);
        String event = Json.write(Json.object().put("operation", "DELIVER").put("migrationId", wait.migrationId()).put("waitKey", wait.key()));
        lambda.get().invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(event)));
        services.store().audit().add(wait.migrationId(), new AuditEntry(services.clock().instant(), "system",
                "decision handed over in the background", wait.key() + ": Step Functions did not answer (" + cause.getClass().getSimpleName() + ")", null));
    }

    /** Resets the heartbeat clock of a copy wait; a stale token means the wait is being re-entered, which resets it anyway. */
    void heartbeat(Wait wait) {
        try {
            sfn.get().sendTaskHeartbeat(b -> b.taskToken(wait.taskToken()));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // The next entry of the wait starts a fresh heartbeat clock.
        }
    }

    private int capacity() {
        return Integer.parseInt(services.env().optional("SLOT_CAPACITY").orElse("1"));
    }

    /**
     * The offered slots that are still ahead, start within the office hours, and overlap no
     * go-lives that fill the capacity (and, for staff, not the current one).
     */
    private List<Field> freeSlots(Purpose purpose, MigrationRecord record, Texts t) {
        Instant now = services.clock().instant();
        Instant current = record.booking() == null ? null : record.booking().start();
        de.shopmigration.core.OfficeHours hours = services.officeHours();
        List<Field> fields = Forms.fields(purpose, record, t, provider());
        Map<Instant, List<String>> holders = services.store().bookings().holders(fields.stream()
                .flatMap(f -> f.options().stream()).flatMap(o -> hours.cells(Instant.parse(o.value())).stream()).distinct().toList());
        int capacity = capacity();
        List<Field> out = new ArrayList<>();
        for (Field f : fields) {
            out.add(f.options(f.options().stream().filter(o -> {
                Instant start = Instant.parse(o.value());
                return start.isAfter(now) && !start.equals(current) && !beforeDnsGate(record, start) && hours.allows(start)
                        && hours.hasRoom(start, holders, capacity, record.migrationId());
            }).toList()));
        }
        return out;
    }

    /** Visitors may still hold the old address until the largest original TTL has run out after lowering. */
    private static boolean beforeDnsGate(MigrationRecord record, Instant start) {
        Instant gate = record.dns() == null ? null : record.dns().earliestGoLive();
        return gate != null && start.isBefore(gate);
    }

    /**
     * Takes a place in every hour the chosen slot covers (one transaction), then decides the
     * wait; if the wait was decided otherwise in between, the places are given back. A
     * rebooking gives back the hours of the old slot that the new one does not cover.
     */
    private HttpResult book(Link link, MigrationRecord record, Forms.Checked checked, Request request, Links links,
                            Instant now, Texts t, String actor) {
        Instant start = Instant.parse(checked.values().get("slot"));
        if (beforeDnsGate(record, start)) {
            // The offer is made after the gate, but a verify re-run can move the gate later; old caches must not win.
            services.store().audit().add(record.migrationId(), new AuditEntry(now, actor, "slot refused: before DNS gate",
                    start + " < " + record.dns().earliestGoLive(), request.sourceIp()));
            return HttpResult.html(409, Pages.form(formView(link.purpose(), record, t, links, freeSlots(link.purpose(), record, t), null,
                    t.get("page.slot.gate", Map.of("earliest", Times.human(record.dns().earliestGoLive(), t.language()))))));
        }
        de.shopmigration.core.OfficeHours hours = services.officeHours();
        if (!hours.allows(start)) {
            // An offer made before the office hours changed (or a page kept open since) may still name it.
            List<Field> fresh = freeSlots(link.purpose(), record, t);
            return HttpResult.html(409, Pages.form(formView(link.purpose(), record, t, links, fresh, null,
                    t.get(fresh.get(0).options().isEmpty() ? "page.slot.none" : "page.slot.outside"))));
        }
        List<Instant> cells = hours.cells(start);
        de.shopmigration.core.GoLiveBookings bookings = services.store().bookings();
        if (!start.isAfter(now) || !bookings.take(record.migrationId(), cells, capacity())) {
            List<Field> fresh = freeSlots(link.purpose(), record, t);
            return HttpResult.html(409, Pages.form(formView(link.purpose(), record, t, links, fresh, null,
                    t.get(fresh.get(0).options().isEmpty() ? "page.slot.none" : "page.slot.taken"))));
        }
        List<Instant> current = record.booking() == null ? List.of() : record.booking().held();
        HttpResult result = decide(link, record, checked, request, now, t, actor,
                Optional.of(() -> giveBackUnlessChosen(record, link, start, cells, current)));
        if (result.status() == 200 && link.purpose() == Purpose.REBOOK && record.booking() != null) {
            bookings.release(record.migrationId(), current.stream().filter(c -> !cells.contains(c)).toList());
        }
        return result;
    }

    /**
     * The wait was not decided by this request. If it was decided with this very slot (a second
     * click of the same choice lost to the first), the places are the booking's and stay; else
     * the places this request took are given back, but not those of the current booking.
     */
    private void giveBackUnlessChosen(MigrationRecord record, Link link, Instant start, List<Instant> cells, List<Instant> current) {
        boolean chosen = services.store().waits().find(record.migrationId(), link.waitKey()).filter(Wait::resolved)
                .map(w -> start.toString().equals(Json.read(w.output()).path("slotStart").asText())).orElse(false);
        if (!chosen) {
            services.store().bookings().release(record.migrationId(), cells.stream().filter(c -> !current.contains(c)).toList());
        }
    }

    /** Staff cancel the go-live date: the hours are freed, the staff calendar shows it cancelled, and the customer will be asked again. */
    private HttpResult cancelBooking(Link link, MigrationRecord record, Forms.Checked checked, Request request, Instant now, Texts t) {
        HttpResult result = decide(link, record, checked, request, now, t, "staff", Optional.empty());
        if (result.status() == 200 && record.booking() != null) {
            services.store().bookings().release(record.migrationId(), record.booking().held());
            services.store().bookings().cancelled(record.migrationId(), now);
            services.store().records().removeBooking(record.migrationId());
        }
        return result;
    }

    /**
     * Staff abort: the reason goes into the record, then the execution is stopped, exactly as
     * a stop in the console would; the EventBridge rule on the stopped execution runs the one
     * cleanup. This works at any point of the migration, waiting or not.
     */
    private HttpResult abort(Link link, MigrationRecord record, Forms.Checked checked, Request request, Instant now, Texts t) {
        if (!services.store().links().use(link, request.sourceIp(), now)) {
            return message(409, t.language(), "error.used", record, "info", link);
        }
        String reason = checked.values().get("reason");
        String customerMessage = checked.values().get("customerMessage");
        services.store().records().requestAbort(record.migrationId(), new MigrationRecord.Abort(reason, "staff", now,
                customerMessage == null || customerMessage.isBlank() ? null : customerMessage));
        audit(record, "staff", "abort requested", reason, request, now);
        String executionArn = stateMachineArn.orElseThrow(() -> new de.shopmigration.core.MissingConfiguration("STATE_MACHINE_ARN"))
                .replace(":stateMachine:", ":execution:") + ":" + record.migrationId();
        try {
            sfn.get().stopExecution(b -> b.executionArn(executionArn).error("MigrationAborted").cause(reason));
        } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException e) {
            // Nothing to stop: the cleanup still runs from the record's abort request when the rule fires.
        }
        return message(200, t.language(), "page.done.ABORT", record, "success", link);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * A link that answers a wait works only while the migration is at that wait; the countdown
     * to the go-live can no longer be rebooked or cancelled once phase 6 has begun.
     */
    private boolean closed(Link link, MigrationRecord record) {
        if (link.purpose() == Purpose.REPORT_ERROR) {
            return false;
        }
        if (ReportPages.handles(link.purpose())) {
            // A report answered after the close-out still tells the customer; an aborted migration's are revoked.
            return !MigrationRecord.RUNNING.equals(record.status()) && !MigrationRecord.COMPLETED.equals(record.status());
        }
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            return true;
        }
        if (link.waitKey() != null && !link.waitKey().equals(record.openWait()) && !decided(record, link)) {
            return true;
        }
        if (link.waitKey() == null || !link.waitKey().startsWith(Step.GO_LIVE_WAIT.name() + "#")) {
            return false;
        }
        // Once the slot has come the go-live starts whatever is clicked: a rebooking at that
        // moment would be shown as done and then ignored. The phase mark follows a moment later.
        boolean slotReached = record.booking() != null && record.booking().startGoLiveAt() != null
                && !services.clock().instant().isBefore(record.booking().startGoLiveAt().minusSeconds(2));
        return slotReached || record.currentPhase() != null && record.currentPhase() >= Phase.GO_LIVE.number();
    }

    /**
     * A link from an earlier round of the step the migration is waiting at again (the first
     * test email after a retest was requested): the answer is wanted, but through the newer
     * email's links, which this page names by date.
     */
    private Optional<HttpResult> superseded(Link link, MigrationRecord record, Texts t, int status) {
        String open = record.openWait();
        if (link.waitKey() == null || open == null || open.equals(link.waitKey()) || !MigrationRecord.RUNNING.equals(record.status())
                || !open.substring(0, open.indexOf('#') + 1).equals(link.waitKey().substring(0, link.waitKey().indexOf('#') + 1))) {
            return Optional.empty();
        }
        return services.store().waits().find(record.migrationId(), open).filter(w -> !w.resolved())
                .map(w -> message(status, t.language(), "error.superseded", record, "info", link,
                        Map.of("time", Times.human(w.openedAt(), t.language()), "stepTitle", t.get("step." + w.step().name()))));
    }

    private boolean decided(MigrationRecord record, Link link) {
        return services.store().waits().find(record.migrationId(), link.waitKey()).map(Wait::resolved).orElse(false);
    }

    Views.FormView formView(Purpose purpose, MigrationRecord record, Texts t, Links links, List<Field> fields,
                                    String errorSummary, String notice) {
        String important = t.find("page.important." + purpose.name(), Map.of()).orElse(null);
        if (purpose.form() == Purpose.Form.SLOTS && important == null) {
            // Before choosing a date: how long the shop will be down, as a range, clearly an estimate.
            de.shopmigration.core.DowntimeEstimate estimate = de.shopmigration.core.DowntimeEstimate.of(record);
            important = t.get("page.estimate", Map.of("downtime", estimate.range(t.language()),
                    "estimateBasis", t.get(estimate.fromCopy() ? "estimate.basis.copy" : "estimate.basis.plan")));
        }
        String info = notice;
        if (purpose == Purpose.REPORT_ERROR && info == null) {
            Instant end = record.errorWindowEndsAt();
            boolean billable = end != null && !services.clock().instant().isBefore(end);
            info = t.get(billable ? "page.report.billable" : "page.report.free",
                    Map.of("windowEnd", end == null ? "–" : Times.human(end, t.language())));
        }
        String statusUrl = purpose.audience() == Audience.CUSTOMER && record.standingLinks().containsKey(Purpose.STATUS.name())
                ? links.url(record.migrationId(), record.standingLinks().get(Purpose.STATUS.name())) : null;
        Views.Frame frame = frame(t, record, purpose, "page.title." + purpose.name(), statusUrl);
        Map<String, String> introValues = new HashMap<>(values(record));
        if (purpose.form() == Purpose.Form.SLOTS) {
            introValues.putAll(services.officeHours().values(t.language()));
        }
        return new Views.FormView(frame, t.numbered("page.intro." + purpose.name(), introValues), important, info,
                errorSummary, fields, t.get("page.submit." + purpose.name()), purpose == Purpose.ABORT);
    }

    private Views.Frame frame(Texts t, MigrationRecord record, Purpose purpose, String titleKey, String statusUrl) {
        Map<String, String> values = values(record);
        String provider = services.mailer().settings().providerName();
        String lead = record == null ? "" : t.get("page.lead." + (purpose == null ? Audience.CUSTOMER : purpose.audience()).name(), values);
        return new Views.Frame(t.language().code(), provider, lead, t.get(titleKey, values),
                record == null ? provider : t.get("page.footer", values), statusUrl, t.get("page.statusLink"), t.get("page.required"));
    }

    private Map<String, String> values(MigrationRecord record) {
        return record == null ? Map.of() : Messages.values(record.request(), services.mailer().settings().providerName());
    }

    HttpResult message(int status, Language language, String key, MigrationRecord record, String kind, Link link) {
        return message(status, language, key, record, kind, link, Map.of());
    }

    /**
     * The confirmation of a decision: what was decided (its title) and what happens next, which
     * for passed tests depends on whether an ordered optimisation is still to come.
     */
    static String doneKey(Purpose purpose, MigrationRecord record) {
        if (purpose == Purpose.TESTS_PASSED && record.answers() != null && record.answers().path("optimisationOrdered").asBoolean(false)
                && record.decisions().stream().noneMatch(d -> Step.OPTIMISATION.name().equals(d.step()))) {
            return "page.done.TESTS_PASSED.optimisation";
        }
        return "page.done." + purpose.name();
    }

    HttpResult message(int status, Language language, String key, MigrationRecord record, String kind, Link link,
                       Map<String, String> extra) {
        Purpose purpose = link == null ? null : link.purpose();
        Audience audience = purpose == null ? Audience.CUSTOMER : purpose.audience();
        Texts t = Texts.of(language, audience);
        Map<String, String> values = new HashMap<>(values(record));
        values.putAll(extra);
        boolean done = key.startsWith("page.done.") && purpose != null;
        String title = done ? t.get("page.doneTitle." + purpose.name(), values) : t.get(key + ".title", values);
        List<String> text = List.of(done ? t.get(key, values) : t.get(key + ".text", values));
        String provider = services.mailer().settings().providerName();
        // The customer can always go on to the overview; its link sits beside this one under the migration.
        String statusLink = record != null && audience == Audience.CUSTOMER && purpose != Purpose.STATUS
                && record.standingLinks().containsKey(Purpose.STATUS.name())
                ? services.links().token(record.migrationId(), record.standingLinks().get(Purpose.STATUS.name())) : null;
        Views.Frame frame = new Views.Frame(language.code(), provider,
                record == null ? "" : t.get("page.lead." + audience.name(), values),
                title, record == null ? provider : t.get("page.footer", values), statusLink, t.get("page.statusLink"), t.get("page.required"));
        return HttpResult.html(status, Pages.message(new Views.MessageView(frame, kind, text)));
    }

    private HttpResult rejected(Optional<MigrationRecord> record, Request request, Instant now, int status, Language language,
                                String key, String what) {
        rejected(record, request, now, "link rejected: " + what);
        return message(status, language, key, null, "error", null);
    }

    /**
     * An entry in the migration's audit trail for a refused request, aggregated per reason and
     * source and without the token ({@link de.shopmigration.core.Rejections}); none for a
     * migration that does not exist, so no one can make items appear under an invented id.
     */
    void rejected(Optional<MigrationRecord> record, Request request, Instant now, String reason) {
        record.ifPresent(r -> services.store().rejections().record(r.migrationId(), reason, "anonymous", request.sourceIp(),
                de.shopmigration.core.Rejections.normalise(request.method(), request.path()), now));
        services.metrics().linkRejected(record.map(MigrationRecord::migrationId).orElse(null), rejectionKind(reason));
    }

    /** The LinksRejected metric's Reason for a rejection's fixed text (a few values, never the request). */
    static String rejectionKind(String reason) {
        if (reason.startsWith("callback rejected")) {
            return "Callback";
        }
        if (reason.startsWith("request rejected")) {
            return "Request";
        }
        if (reason.contains("forged")) {
            return "Forged";
        }
        if (reason.contains("expired")) {
            return "Expired";
        }
        return reason.contains("revoked") ? "Revoked" : "Unknown";
    }

    private Optional<MigrationRecord> existing(String migrationId) {
        return MIGRATION_ID.matcher(migrationId).matches() ? services.store().records().find(migrationId) : Optional.empty();
    }

    private static String clipMethod(String text) {
        String clean = text.replaceAll("[^A-Za-z0-9/+.;= -]", "_");
        return clean.length() <= 40 ? clean : clean.substring(0, 40);
    }

    /** One JSON line to the function's log; never the link, the token or what was typed. */
    private static void warn(String migrationId, String message) {
        System.err.println(Json.write(Json.object().put("level", "WARN").put("migrationId", migrationId).put("message", message)));
    }

    void audit(MigrationRecord record, String actor, String action, String detail, Request request, Instant now) {
        services.store().audit().add(record.migrationId(), new AuditEntry(now, actor, action,
                detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) + "..." : detail, request.sourceIp()));
    }

    private Texts texts(Purpose purpose, MigrationRecord record) {
        Language language = purpose.audience() == Audience.CUSTOMER ? record.request().language()
                : services.mailer().settings().staffLanguage();
        return Texts.of(language, purpose.audience());
    }

    private Language languageFor(Link link, Optional<MigrationRecord> record, Language fallback) {
        return record.isPresent() ? texts(link.purpose(), record.get()).language() : fallback;
    }

    private static Language acceptLanguage(Request request) {
        String header = request.header("Accept-Language");
        return header != null && header.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? Language.EN : Language.DE;
    }

    /** Whom a customer writes to or calls: the responsible staff member (or the provider) and the reply-to address. */
    private String contact(MigrationRecord record) {
        return Messages.values(record.request(), provider()).get("staffName") + " (" + services.mailer().settings().replyTo() + ")";
    }

    private String provider() {
        return services.mailer().settings().providerName();
    }

    Services services() {
        return services;
    }

    /**
     * Whether a callback's signature header ({@code sha256=<HMAC of the body>}) was made with the
     * link secret's current or previous key (constant-time comparison): copy tooling that still
     * holds the key from before a rotation is heard until the next one.
     */
    static boolean signatureMatches(de.shopmigration.core.LinkSigner signer, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        return signer.signedWithAKey(body, header.substring(7));
    }

    static Phase phaseOf(Step step) {
        return step.phase();
    }

    static JsonNode parseJson(byte[] body) {
        return Json.read(new String(body, StandardCharsets.UTF_8));
    }
}
