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
}
