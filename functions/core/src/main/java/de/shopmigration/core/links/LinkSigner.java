package de.shopmigration.core.links;

import de.shopmigration.core.MissingConfiguration;

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
 *
 * <p>New links and signatures are made with the secret's current key; a presented one is
 * accepted if it was made with the current or the previous key ({@link LinkKeys}), so links
 * emailed before a rotation keep working until the next rotation. The format is the same for
 * every key: links emailed before the secret moved to Secrets Manager verify if their value
 * was carried over.
 */
public final class LinkSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int SIGNATURE_BYTES = 16;

    private final LinkKeys keys;
    /** Renewed after a SnapStart restore, so no two environments share a random state. */
    private final RandomIds ids = new RandomIds();

    public LinkSigner(LinkKeys keys) {
        this.keys = keys;
    }

    /** One fixed key (tests, tools); at least 32 characters. */
    public LinkSigner(String secret) {
        this(fixed(secret));
    }

    private static LinkKeys fixed(String secret) {
        if (secret == null || secret.length() < LinkKeys.MIN_LENGTH) {
            throw new MissingConfiguration("a link secret of at least " + LinkKeys.MIN_LENGTH + " characters");
        }
        return LinkKeys.fixed(secret);
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
        byte[] message = linkMessage(migrationId, id);
        return matchesAnyKey(key -> Arrays.copyOf(mac(key, message), SIGNATURE_BYTES), given)
                ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    /** HMAC over any message with the current key, for signed webhooks and callbacks: base64url without padding. */
    public String sign(String message) {
        return B64.encodeToString(mac(keys.signing(), message.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whether {@code signature} (base64url without padding, as {@link #sign} writes it) is the
     * HMAC of the message under the current or the previous key; compared in constant time.
     */
    public boolean signedWithAKey(byte[] message, String signature) {
        if (signature == null || signature.length() > 100) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        return matchesAnyKey(key -> B64.encodeToString(mac(key, message)).getBytes(StandardCharsets.US_ASCII), given);
    }

    /**
     * Compares with the MAC under each key (constant time each); when none matches, the previous
     * key is read if it was not yet, and then the keys are read again if that is due (a rotation
     * this environment has not seen), comparing once more after each.
     */
    private boolean matchesAnyKey(java.util.function.Function<SecretKeySpec, byte[]> expected, byte[] given) {
        if (matches(keys.verifying(), expected, given)
                || keys.readPreviousIfUnread() && matches(keys.verifying(), expected, given)) {
            return true;
        }
        return keys.readAgainIfDue() && matches(keys.verifying(), expected, given);
    }

    private static boolean matches(java.util.List<SecretKeySpec> candidates, java.util.function.Function<SecretKeySpec, byte[]> expected, byte[] given) {
        boolean any = false;
        for (SecretKeySpec key : candidates) {
            any |= MessageDigest.isEqual(given, expected.apply(key));
        }
        return any;
    }

    private byte[] signature(String migrationId, String linkId) {
        return Arrays.copyOf(mac(keys.signing(), linkMessage(migrationId, linkId)), SIGNATURE_BYTES);
    }

    private static byte[] linkMessage(String migrationId, String linkId) {
        return ("link/v1\n" + migrationId + "\n" + linkId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
