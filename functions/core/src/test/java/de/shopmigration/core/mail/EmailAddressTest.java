package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Addresses in the 7-bit form SES takes, checked against an independent IDNA 2008 implementation. */
class EmailAddressTest {

    @Test
    void umlautDomainsBecomePunycodeAndAsciiAddressesStayAsTheyAre() {
        assertThat(EmailAddress.ascii("erika@müller-shop.de")).isEqualTo("erika@xn--mller-shop-9db.de");
        assertThat(EmailAddress.ascii("info@straße.de")).as("ß is kept (IDNA 2008), not mapped to ss").isEqualTo("info@xn--strae-oqa.de");
        assertThat(EmailAddress.ascii("Team@Hosting.Example")).isEqualTo("Team@hosting.example");
        assertThat(EmailAddress.ascii("erika@muster-shop.example")).isEqualTo("erika@muster-shop.example");
        assertThat(EmailAddress.ascii("a@xn--mller-shop-9db.de")).isEqualTo("a@xn--mller-shop-9db.de");
    }

    @Test
    void punycodeMatchesRfc3492sSamples() {
        // RFC 3492, section 7.1: (A) Arabic (Egyptian) and (L) a Japanese sample, plus the classic German one.
        assertThat(Punycode.encode("\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F"))
                .isEqualTo("egbpdaj6bu4bxfgehfvwxn");
        assertThat(Punycode.encode("3\u5E74B\u7D44\u91D1\u516B\u5148\u751F")).isEqualTo("3B-ww4c5e180e575a65lsy2b");
        assertThat(Punycode.encode("bücher")).isEqualTo("bcher-kva");
    }

    @Tag("full")
    @Test
    void theDomainFormAgreesWithPythonsIdnaPackage() throws Exception {
        List<String> domains = List.of("müller-shop.de", "straße.de", "BÜCHER.de", "weiß-grün.de", "café.fr", "日本語.jp",
                "größenwahn-möbel.example", "xn--mller-shop-9db.de", "ÄÖÜ.at");
        List<String> ours = new ArrayList<>();
        for (String d : domains) {
            ours.add(EmailAddress.asciiDomain(d));
        }
        assertThat(ours).isEqualTo(python(domains));
    }

    /** The same domains through Python's idna package (IDNA 2008 with UTS #46 mapping). */
    private static List<String> python(List<String> domains) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c",
                "import idna,sys\nfor d in sys.stdin.read().split('\\n'):\n    print(idna.encode(d, uts46=True).decode())")
                .redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(String.join("\n", domains).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(p.exitValue()).as("python3 with the idna package: " + out).isZero();
        return List.of(out.strip().split("\n"));
    }

    @Test
    void whatSesCannotTakeIsRefusedWithTheReason() {
        assertThat(EmailAddress.problem("jürgen@müller-shop.de")).get().asString().contains("outside ASCII before the @");
        assertThat(EmailAddress.problem("a@☃.de")).get().asString().contains("'☃'");
        assertThat(EmailAddress.problem("a@-x.de")).get().asString().contains("starts or ends with '-'");
        assertThat(EmailAddress.problem("a@b..de")).get().asString().contains("empty label");
        assertThat(EmailAddress.problem("a b@x.de")).get().asString().contains("' '");
        assertThatThrownBy(() -> EmailAddress.ascii("nobody")).isInstanceOf(EmailAddress.InvalidEmailAddress.class);
        assertThat(EmailAddress.problem("erika@müller-shop.de")).isEmpty();
    }
}
