package de.shopmigration.copyagent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature in both directions: header {@code X-Migration-Signature: sha256=<S>},
 * S = base64url without padding of HMAC-SHA256(key = shared secret as UTF-8, message = the exact
 * body bytes). Checked in constant time.
 */
public final class Signature {

    public static final String HEADER = "X-Migration-Signature";
    static final String PREFIX = "sha256=";

    private final SecretKeySpec key;

    public Signature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The complete header value for this body. */
    public String header(byte[] body) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body));
    }

    /** True when the header is exactly the expected value; missing or malformed headers fail. */
    public boolean matches(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        byte[] given = header.strip().getBytes(StandardCharsets.US_ASCII);
        byte[] expected = header(body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
