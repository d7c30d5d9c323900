package de.shopmigration.core;

/** Who acts on a link or receives a message. */
public enum Audience {
    CUSTOMER, STAFF
}
