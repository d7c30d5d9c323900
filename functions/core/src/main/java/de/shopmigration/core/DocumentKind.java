package de.shopmigration.core;

import de.shopmigration.core.store.MigrationStore;

import de.shopmigration.core.mail.Attachment;

/** The documents the workflow attaches to emails, by kind; written by the documents function. */
public enum DocumentKind {
    TEST_SCENARIOS, GO_LIVE_INVITE;

    /** @throws MissingDocument when the state machine did not write it first */
    public Attachment read(MigrationStore store, String migrationId) {
        return store.documents().find(migrationId, name()).orElseThrow(() -> new MissingDocument(migrationId, this));
    }

    /** A document an email needs was not written: a wiring error in the state machine. */
    public static final class MissingDocument extends RuntimeException {
        public MissingDocument(String migrationId, DocumentKind kind) {
            super("No " + kind + " document for migration " + migrationId + "; the state machine writes it before the email");
        }
    }
}
