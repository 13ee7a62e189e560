package dev.accrue.app.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Which addresses a webhook may reach: every internal range refused by default; metadata refused always. */
class AddressPolicyTest {
    private final AddressPolicy strict = new AddressPolicy(false);
    private final AddressPolicy allowingPrivate = new AddressPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.0.1", "169.254.169.254", "169.254.1.1",
            "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.251", "239.1.1.1", "255.255.255.255", "240.0.0.1", "198.18.0.1",
            "192.0.0.8", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "ff02::1", "fec0::1", "::ffff:127.0.0.1",
            "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::"})
    void internalAddressesAreRefused(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2001:4860:4860::8888",
            "::ffff:8.8.8.8"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "fd00:ec2::254", "0.0.0.0", "::", "::ffff:169.254.169.254"})
    void metadataAndUnspecifiedAddressesAreRefusedEvenWhenPrivateOnesAreAllowed(String address) throws Exception {
        assertThat(allowingPrivate.refusal(InetAddress.getByName(address))).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "::1", "192.168.1.1"})
    void privateAddressesPassOnlyWhenAllowed(String address) throws Exception {
        assertThat(allowingPrivate.refusal(InetAddress.getByName(address))).as(address).isEmpty();
    }
}
