package de.shopmigration.core.mail;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Email addresses as Amazon SES takes them: 7-bit only. A domain with umlauts (common for
 * German shops: erika@müller-shop.de) is sent in its IDNA form (erika@xn--mller-shop-9db.de);
 * SES does not support non-ASCII local parts (SMTPUTF8), so such an address is refused when the
 * migration request is checked. Records and pages keep the address as it was entered.
 */
public final class EmailAddress {

    private static final String LOCAL_CHARS = "!#$%&'*+/=?^_`{|}~.-";

    private EmailAddress() {
    }

    /** The address as SES takes it; an ASCII address comes back unchanged. */
    public static String ascii(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new InvalidEmailAddress("\"" + address + "\" is not an email address");
        }
        String local = address.substring(0, at);
        problemOfLocalPart(local).ifPresent(p -> {
            throw new InvalidEmailAddress(p);
        });
        return local + "@" + asciiDomain(address.substring(at + 1));
    }

    /**
     * Whether two addresses are the same mailbox as far as this workflow can tell: equal in
     * their 7-bit form, ignoring case (SES reports the address as it sent it).
     */
    public static boolean sameMailbox(String a, String b) {
        try {
            return ascii(a).toLowerCase(Locale.ROOT).equals(ascii(b).toLowerCase(Locale.ROOT));
        } catch (InvalidEmailAddress e) {
            return false;
        }
    }

    /** Why SES could not send to this address, in words for the person who typed it; empty if it can. */
    public static Optional<String> problem(String address) {
        try {
            ascii(address);
            return Optional.empty();
        } catch (InvalidEmailAddress e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> problemOfLocalPart(String local) {
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c >= 0x80) {
                return Optional.of("has letters outside ASCII before the @ (\"" + local + "\"): Amazon SES cannot send to such "
                        + "addresses; use an address with only ASCII letters before the @ (umlauts in the domain are fine)");
            }
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || LOCAL_CHARS.indexOf(c) >= 0)) {
                return Optional.of("\"" + local + "\" before the @ contains '" + c + "', which an address cannot hold unquoted");
            }
        }
        if (local.length() > 64 || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.of("\"" + local + "\" before the @ is not a valid mailbox name");
        }
        return Optional.empty();
    }

    /**
     * The domain in IDNA form (UTS #46 non-transitional: mapped to lower case and NFKC, so "ß"
     * stays "ß"); each label with non-ASCII characters becomes "xn--" + Punycode.
     */
    static String asciiDomain(String domain) {
        // An ASCII domain (nearly all) needs no normalisation, whose tables cost a cold start time.
        boolean ascii = domain.chars().allMatch(c -> c < 0x80);
        String mapped = (ascii ? domain : Normalizer.normalize(domain, Normalizer.Form.NFKC)).toLowerCase(Locale.ROOT);
        if (mapped.endsWith(".")) {
            mapped = mapped.substring(0, mapped.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (String label : mapped.split("\\.", -1)) {
            out.append(out.isEmpty() ? "" : ".").append(asciiLabel(label, domain));
        }
        if (out.length() > 253) {
            throw new InvalidEmailAddress("the domain \"" + domain + "\" is longer than DNS allows");
        }
        return out.toString();
    }

    private static String asciiLabel(String label, String domain) {
        if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
            throw new InvalidEmailAddress("the domain \"" + domain + "\" has an empty label or one that starts or ends with '-'");
        }
        boolean ascii = label.chars().allMatch(c -> c < 0x80);
        for (int i = 0; i < label.length(); ) {
            int cp = label.codePointAt(i);
            int type = Character.getType(cp);
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
            boolean allowed = ascii ? cp >= 'a' && cp <= 'z' || cp >= '0' && cp <= '9' || cp == '-'
                    : Character.isLetterOrDigit(cp) || cp == '-' || mark && i > 0;
            if (!allowed) {
                throw new InvalidEmailAddress("the domain \"" + domain + "\" contains '" + new String(Character.toChars(cp))
                        + "', which a domain name cannot hold");
            }
            i += Character.charCount(cp);
        }
        String encoded = ascii ? label : "xn--" + Punycode.encode(label);
        if (encoded.length() > 63) {
            throw new InvalidEmailAddress("the domain \"" + domain + "\" has a part longer than DNS allows (63 characters in its ASCII form)");
        }
        return encoded;
    }

    /** An address SES cannot send to, with the reason. */
    public static final class InvalidEmailAddress extends IllegalArgumentException {
        public InvalidEmailAddress(String message) {
            super(message);
        }
    }
}
