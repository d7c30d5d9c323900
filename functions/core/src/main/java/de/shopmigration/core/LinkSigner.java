package de.shopmigration.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the capability part of a link: a random id of 128 bits plus an HMAC-SHA256
 * over the migration id and that id, keyed with the deployment's link secret. A link copied
 * into another migration's URL, or with one character changed, fails the check before any
 * lookup.
 */
public final class LinkSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int SIGNATURE_BYTES = 16;

    private final SecretKeySpec key;
    /** Renewed after a SnapStart restore, so no two environments share a random state. */
    private final RandomIds ids = new RandomIds();

    public LinkSigner(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new MissingConfiguration("LINK_SECRET (at least 32 characters)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** 16 random bytes, URL-safe: 22 characters. */
    public String newId() {
        return ids.get();
    }

    /** The token that goes into a URL: id, a dot, and the signature. */
    public String token(String migrationId, String linkId) {
        return linkId + "." + B64.encodeToString(signature(migrationId, linkId));
    }

    /** @return the link id when the token is well formed and signed for this migration. */
    public java.util.Optional<String> verify(String migrationId, String token) {
        if (token == null || token.length() > 100) {
            return java.util.Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return java.util.Optional.empty();
        }
        String id = token.substring(0, dot);
        String signature = token.substring(dot + 1);
        byte[] given;
        try {
            given = B64D.decode(signature);
            byte[] idBytes = B64D.decode(id);
            // Only the canonical spelling counts: the last character's spare bits must not vary.
            if (idBytes.length != 16 || !B64.encodeToString(idBytes).equals(id) || !B64.encodeToString(given).equals(signature)) {
                return java.util.Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        return MessageDigest.isEqual(given, signature(migrationId, id))
                ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    /** HMAC over any message, for signed webhooks and callbacks. */
    public String sign(String message) {
        return B64.encodeToString(mac(message.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] signature(String migrationId, String linkId) {
        return Arrays.copyOf(mac(("link/v1\n" + migrationId + "\n" + linkId).getBytes(StandardCharsets.UTF_8)),
                SIGNATURE_BYTES);
    }

    private byte[] mac(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
