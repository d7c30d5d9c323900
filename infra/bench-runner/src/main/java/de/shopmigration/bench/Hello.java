package de.shopmigration.bench;

/** The empty-JVM reference of the cold-start benchmark: start a JVM, print one line, exit. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hi");
    }
}
