package dev.accrue.app.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which IP addresses a webhook may be sent to. Refused always: the cloud metadata services (169.254.169.254,
 * fd00:ec2::254) and the unspecified address. Refused unless private addresses are explicitly allowed (a server
 * setting for development and tests): loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16, fe80::/10), shared/CGNAT (100.64/10), "this network" (0/8), benchmarking (198.18/15),
 * IETF protocol assignments (192.0.0/24), reserved (240/4, incl. broadcast), multicast (224/4, ff00::/8) and
 * site-local (fec0::/10). IPv6 forms that embed an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by
 * that address, so {@code ::ffff:127.0.0.1} is loopback.
 */
public final class AddressPolicy {
    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why the address is refused, or empty when a webhook may go there. */
    public Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (isMetadataV6(b)) {
                return Optional.of("a cloud metadata address");
            }
            Optional<Inet4Address> embedded = embeddedV4(b);
            if (embedded.isPresent()) {
                return refusal(embedded.get());
            }
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 169 && (address.getAddress()[1] & 0xff) == 254
                && (address.getAddress()[2] & 0xff) == 169 && (address.getAddress()[3] & 0xff) == 254) {
            return Optional.of("a cloud metadata address");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        return internal(address);
    }

    private static Optional<String> internal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int o0 = b[0] & 0xff;
            int o1 = b[1] & 0xff;
            int o2 = b[2] & 0xff;
            if (o0 == 0) {
                return Optional.of("a 'this network' address");
            }
            if (o0 == 100 && (o1 & 0xc0) == 64) {
                return Optional.of("a shared (CGNAT) address");
            }
            if (o0 == 198 && (o1 == 18 || o1 == 19)) {
                return Optional.of("a benchmarking address");
            }
            if (o0 == 192 && o1 == 0 && o2 == 0) {
                return Optional.of("an IETF protocol assignment");
            }
            if (o0 >= 240) {
                return Optional.of("a reserved address");
            }
            return Optional.empty();
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private (unique local) address");
        }
        return Optional.empty();
    }

    private static boolean isMetadataV6(byte[] b) {
        // fd00:ec2::254
        byte[] metadata = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return Arrays.equals(b, metadata);
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), 6to4 (2002::/16) or NAT64 (64:ff9b::/96) address. */
    private static Optional<Inet4Address> embeddedV4(byte[] b) {
        try {
            boolean zeroPrefix = true;
            for (int i = 0; i < 12; i++) {
                zeroPrefix &= b[i] == 0;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if ((zeroPrefix && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1))) || mapped || nat64) {
                return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[]{b[2], b[3], b[4], b[5]}));
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
