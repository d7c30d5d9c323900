package de.shopmigration.core.mail;

/** A file sent with an email (test scenarios as PDF, a calendar invite). */
public record Attachment(String filename, String contentType, byte[] content) {
}
