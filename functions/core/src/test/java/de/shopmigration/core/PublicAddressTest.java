package de.shopmigration.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses from IANA's special-purpose registries are no shop's home on the internet. */
class PublicAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "100.64.1.1", "0.1.2.3", "10.0.0.1", "127.0.0.1", "169.254.1.1", "172.16.5.4",
            "192.168.1.1", "192.0.0.9", "198.18.0.1", "224.0.0.1", "240.0.0.1", "192.88.99.1", "198.51.100.20", "203.0.113.5",
            "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::20", "2002:c000:0204::1", "2001::1",
            "64:ff9b::808:808", "100::1", "3fff::1", "5f00::1"})
    void specialPurposeAddressesAreNotPublic(String address) {
        assertThat(PublicAddress.isPublic(address, false)).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "85.13.128.1", "100.128.0.1", "2a00:1450:4001:82b::200e", "2600::1"})
    void ordinaryAddressesArePublic(String address) {
        assertThat(PublicAddress.isPublic(address, false)).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.20", "192.0.2.1", "203.0.113.9", "2001:db8::20", "3fff::20"})
    void documentationBlocksOnlyWhenAskedFor(String address) {
        assertThat(PublicAddress.isPublic(address, true)).as(address).isTrue();
        assertThat(PublicAddress.isPublic(address, false)).as(address).isFalse();
    }
}
