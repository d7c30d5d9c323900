package de.shopmigration.core;

/**
 * Text a person or a tool typed, as the workflow keeps it: no control characters (a NUL, an
 * escape sequence, a C1 code), no bidirectional overrides that make a page or an email show
 * something else than is stored (U+202E turns "gnp.exe" into "exe.png"), line breaks only where
 * a field has lines, and those as "\n". Applied where text comes in: the forms, the copy
 * callback, the execution input.
 */
public final class TypedText {

    private TypedText() {
    }

    /** The text without control and bidi-control characters; line breaks kept ("\n") if {@code lines}, else none allowed through. */
    public static String clean(String text, boolean lines) {
        if (text == null) {
            return null;
        }
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append(lines ? '\n' : ' ');
            } else if (c == '\t') {
                out.append(' ');
            } else if (!forbidden(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The first character that {@link #clean} would remove or change (a line break counts in a one-line text), or -1. */
    public static int firstForbidden(String text, boolean lines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (!lines) {
                    return c;
                }
            } else if (c != '\t' && forbidden(c)) {
                return c;
            }
        }
        return -1;
    }

    /**
     * Why a one-line text cannot be taken as it was typed, in words for the person who typed it
     * ("contains the control character U+202E"); empty if it can.
     */
    public static java.util.Optional<String> controlCharacter(String text) {
        int c = firstForbidden(text, false);
        if (c < 0) {
            return java.util.Optional.empty();
        }
        String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return java.util.Optional.of("contains the control character U+" + "0000".substring(hex.length()) + hex);
    }

    /** C0 and C1 controls, DEL, and the bidirectional formatting characters (embeddings, overrides, isolates, marks). */
    static boolean forbidden(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
                || c == '\u200e' || c == '\u200f' || c == '\u061c'
                || c == '\ufeff';
    }
}
