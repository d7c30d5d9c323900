package de.shopmigration.dns;

/** A record set's identity within the migration: host name without the final dot, and type. */
record RecordKey(String name, String type) {

    static RecordKey of(String route53Name, String type) {
        String n = route53Name.endsWith(".") ? route53Name.substring(0, route53Name.length() - 1) : route53Name;
        return new RecordKey(n.toLowerCase(java.util.Locale.ROOT), type);
    }

    static RecordKey parse(String key) {
        int bar = key.indexOf('|');
        return new RecordKey(key.substring(0, bar), key.substring(bar + 1));
    }

    String key() {
        return name + "|" + type;
    }

    String fqdn() {
        return name + ".";
    }

    // Written out: a record's generated equals and hashCode are linked through ObjectMethods on
    // first use, some 7 ms of the DNS function's cold start, and every step keys its zone by this.
    @Override
    public boolean equals(Object other) {
        return other instanceof RecordKey k && name.equals(k.name) && type.equals(k.type);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + type.hashCode();
    }
}
