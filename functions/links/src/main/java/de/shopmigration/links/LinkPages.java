package de.shopmigration.links;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.Texts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The pages behind the emailed links. GET only ever shows a page (mail scanners open links);
 * the page's button POSTs. A POST checks the link, the form and the migration, stores the
 * answer together with using the link, and only then hands the decision to the state machine.
 * This class routes: it checks the request and the link, and hands a valid one to what serves
 * its purpose ({@link Decisions}, {@link SlotBooking}, {@link StaffAbort}, {@link ReportPages},
 * {@link CopyCallback}, {@link StaffCalendarRoute}); {@link PageViews} builds the pages.
 */
public final class LinkPages {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern ROUTE = Pattern.compile("^/m/([^/]{1,100})/([^/]{1,120})(/callback)?/?$");
    private static final Pattern MIGRATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,79}");
    /** A path under a migration that no route serves: still worth an audit entry in that migration. */
    private static final Pattern UNDER_MIGRATION = Pattern.compile("^/m/([A-Za-z0-9][A-Za-z0-9_-]{2,79})/");
    /** The staff calendar feed: {@code /calendar/<token>.ics} (the suffix is for calendar clients that look for one). */
    private static final Pattern CALENDAR = Pattern.compile("^" + Links.CALENDAR_PATH + "([^/]{1,120}?)(?:\\.ics)?$");

    private final Collaborators services;
    /** Only a decision, a heartbeat or an abort talks to Step Functions; a page view never does. */
    private final Supplier<SfnClient> sfn;
    private final PageViews views;
    private final PageAudit audit;
    private final LinkStanding standing;
    private final Decisions decisions;
    private final SlotBooking slots;
    private final StaffAbort abort;
    private final ReportPages reports;
    private final CopyCallback copyCallback;
    private final DnsRollback rollback;
    private final StaffCalendarRoute calendarFeed;

    /**
     * @param lambda           takes a stored answer to Step Functions in the background when the page's own hand-over fails
     * @param deliveryFunction the function that does so
     */
    public LinkPages(Collaborators services, Supplier<SfnClient> sfn, Optional<String> stateMachineArn, Supplier<LambdaClient> lambda,
                     Optional<String> deliveryFunction) {
        this(services, sfn, stateMachineArn, lambda, deliveryFunction, Optional.empty());
    }

    /** @param dnsFunction the DNS function the watch's rollback link invokes */
    public LinkPages(Collaborators services, Supplier<SfnClient> sfn, Optional<String> stateMachineArn, Supplier<LambdaClient> lambda,
                     Optional<String> deliveryFunction, Optional<String> dnsFunction) {
        this.services = services;
        this.sfn = sfn;
        this.views = new PageViews(services);
        this.audit = new PageAudit(services);
        this.standing = new LinkStanding(services);
        this.decisions = new Decisions(services, sfn, lambda, deliveryFunction, views, audit);
        this.slots = new SlotBooking(services, decisions, views);
        this.abort = new StaffAbort(services, sfn, stateMachineArn, views, audit);
        this.rollback = new DnsRollback(services, lambda, dnsFunction, views, audit);
        this.reports = new ReportPages(views, audit, services);
        this.copyCallback = new CopyCallback(services, decisions, audit);
        this.calendarFeed = new StaffCalendarRoute(services, views);
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
        Language fallback = PageViews.acceptLanguage(request);
        Instant now = services.clock().instant();
        Matcher calendar = CALENDAR.matcher(request.path() == null ? "" : request.path());
        if (calendar.matches()) {
            return calendarFeed.handle(calendar.group(1), request, now);
        }
        if (!m.matches()) {
            Matcher under = UNDER_MIGRATION.matcher(request.path() == null ? "" : request.path());
            if (under.find()) {
                audit.rejected(existing(under.group(1)), request, now, "request rejected: no such page");
            }
            return views.message(404, fallback, "error.notFound", null, "error", null);
        }
        String migrationId = m.group(1);
        String token = m.group(2);
        boolean callback = m.group(3) != null;
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (!get && !method.equals("POST") || callback && !method.equals("POST")) {
            audit.rejected(existing(migrationId), request, now, "request rejected: method " + clipMethod(method));
            return views.message(405, fallback, "error.method", null, "error", null).withHeader("Allow", callback ? "POST" : "GET, POST");
        }
        if (request.body() != null && request.body().length > MAX_BODY_BYTES) {
            audit.rejected(existing(migrationId), request, now, "request rejected: body too large");
            return views.message(413, fallback, "error.tooLarge", null, "error", null);
        }
        Links links = services.links().withBaseUrl(request.baseUrl());
        Optional<MigrationRecord> record = existing(migrationId);
        if (callback) {
            return copyCallback.handle(() -> links.check(migrationId, token, now), record, request, now);
        }
        Links.Check check = links.check(migrationId, token, now);
        Language language = record.map(r -> r.request().language()).orElse(fallback);
        return switch (check) {
            case Links.Check.Forged f -> rejected(record, request, now, 403, language, "error.forged", "forged or tampered link");
            case Links.Check.Unknown u -> rejected(record, request, now, 404, language, "error.unknown", "unknown link");
            case Links.Check.Expired e ->
                    rejected(record, request, now, 410, views.languageFor(e.link(), record, language), "error.expired", "expired link");
            case Links.Check.Revoked r ->
                    rejected(record, request, now, 410, views.languageFor(r.link(), record, language), "error.revoked", "revoked link");
            case Links.Check.Used u -> {
                if (!get && u.link().reportKey() != null) {
                    reports.resend(u.link(), links);
                } else if (!get) {
                    decisions.redeliver(u.link());
                }
                yield views.message(get ? 200 : 409, views.languageFor(u.link(), record, language), "error.used", record.orElse(null), "info",
                        u.link());
            }
            case Links.Check.Valid v -> record.isEmpty()
                    ? rejected(record, request, now, 404, language, "error.unknown", "link without record")
                    : get ? show(v.link(), record.get(), links) : act(v.link(), record.get(), request, links, now);
        };
    }

    // ---- GET --------------------------------------------------------------------------------

    private HttpResult show(Link link, MigrationRecord record, Links links) {
        Purpose purpose = link.purpose();
        Texts t = views.texts(purpose, record);
        if (purpose == Purpose.STATUS) {
            return HttpResult.html(200, Pages.status(StatusPage.view(record, t, views.frame(t, record, purpose, "page.title.STATUS", null),
                    services.store(), services.clock().instant(), views.contact(record), services.officeHours())));
        }
        Optional<HttpResult> superseded = superseded(link, record, t, 200);
        if (superseded.isPresent()) {
            return superseded.get();
        }
        if (standing.closed(link, record)) {
            return views.message(410, t.language(), "error.closed", record, "info", link);
        }
        if (link.waitKey() != null && standing.decided(record, link)) {
            return views.message(200, t.language(), "error.decided", record, "info", link);
        }
        if (ReportPages.handles(purpose)) {
            return reports.show(link, record, links, t);
        }
        List<Field> fields = purpose.form() == Purpose.Form.SLOTS ? slots.freeSlots(purpose, record, t)
                : Forms.fields(purpose, record, t, views.provider());
        String notice = purpose.form() == Purpose.Form.SLOTS && fields.get(0).options().isEmpty() ? t.get("page.slot.none") : null;
        return HttpResult.html(200, Pages.form(views.formView(purpose, record, t, links, fields, null, notice)));
    }

    // ---- POST -------------------------------------------------------------------------------

    private HttpResult act(Link link, MigrationRecord record, Request request, Links links, Instant now) {
        Purpose purpose = link.purpose();
        Texts t = views.texts(purpose, record);
        if (purpose == Purpose.STATUS) {
            return views.message(405, t.language(), "error.method", record, "error", link).withHeader("Allow", "GET");
        }
        Optional<HttpResult> superseded = superseded(link, record, t, 409);
        if (superseded.isPresent()) {
            return superseded.get();
        }
        if (standing.closed(link, record)) {
            return views.message(410, t.language(), "error.closed", record, "info", link);
        }
        // A form sends application/x-www-form-urlencoded; a script posting JSON or anything else acts on nothing.
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded")) {
            audit.rejected(Optional.of(record), request, now, "request rejected: content type " + clipMethod(String.valueOf(contentType)));
            return views.message(415, t.language(), "error.contentType", record, "error", link);
        }
        Map<String, String> posted;
        try {
            posted = FormBody.parse(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        } catch (FormBody.Malformed e) {
            return views.message(400, t.language(), "error.malformed", record, "error", link);
        }
        Forms.Checked checked = Forms.check(Forms.fields(purpose, record, t, views.provider()), posted, t,
                services.documentationAddressesArePublic());
        if (!checked.ok()) {
            return HttpResult.html(422, Pages.form(views.formView(purpose, record, t, links, checked.fields(), t.get("page.errors"), null)));
        }
        String actor = purpose.audience() == Audience.CUSTOMER ? "customer" : "staff";
        return switch (purpose) {
            case REPORT_ERROR -> reports.report(link, record, checked, request, links, now, t);
            case REPORT_ACKNOWLEDGED, REPORT_FIXED -> reports.act(link, record, checked, request, links, now, t);
            case ABORT -> abort.abort(link, record, checked, request, now, t);
            case ROLLBACK_DNS -> rollback.rollback(link, record, checked, request, now, t);
            case BOOK_SLOT, REBOOK -> slots.book(link, record, checked, request, links, now, t, actor);
            case CANCEL_BOOKING -> slots.cancelBooking(link, record, checked, request, now, t);
            default -> decisions.decide(link, record, checked, request, now, t, actor, Optional.empty());
        };
    }

    /** The newer email's links are named by date on this page. */
    private Optional<HttpResult> superseded(Link link, MigrationRecord record, Texts t, int status) {
        return standing.superseded(link, record)
                .map(w -> views.message(status, t.language(), "error.superseded", record, "info", link,
                        Map.of("time", TimeFormats.human(w.openedAt(), t.language()), "stepTitle", t.get("step." + w.step().name()))));
    }

    private HttpResult rejected(Optional<MigrationRecord> record, Request request, Instant now, int status, Language language,
                                String key, String what) {
        audit.rejected(record, request, now, "link rejected: " + what);
        return views.message(status, language, key, null, "error", null);
    }

    private Optional<MigrationRecord> existing(String migrationId) {
        return MIGRATION_ID.matcher(migrationId).matches() ? services.store().records().find(migrationId) : Optional.empty();
    }

    private static String clipMethod(String text) {
        String clean = text.replaceAll("[^A-Za-z0-9/+.;= -]", "_");
        return clean.length() <= 40 ? clean : clean.substring(0, 40);
    }
}
