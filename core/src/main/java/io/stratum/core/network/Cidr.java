package io.stratum.core.network;

import io.stratum.core.error.ValidationException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation, normalised to its network address (10.1.2.3/8 is 10.0.0.0/8). */
public record Cidr(String network, int prefix, boolean ipv6) {
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    /** Parses {@code text}; a missing prefix means a single address (/32 or /128). */
    public static Cidr parse(String field, String text) {
        if (text == null || text.isBlank()) throw ValidationException.of(field, "is required, e.g. 10.0.0.0/8 or 2001:db8::/32");
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean v6 = addr.contains(":");
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw ValidationException.of(field, "'" + t + "' has prefix length " + t.substring(slash + 1) + ": use 0-" + max);
            }
        }
        byte[] bytes = v6 ? parseV6(field, t, addr) : parseV4(field, t, addr);
        BigInteger value = new BigInteger(1, bytes);
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE).shiftRight(max - prefix).shiftLeft(max - prefix);
        byte[] net = toBytes(value.and(mask), bytes.length);
        try {
            String host = InetAddress.getByAddress(net).getHostAddress();
            return new Cidr(v6 ? compress(host) : host, prefix, v6);
        } catch (UnknownHostException e) {
            throw ValidationException.of(field, "'" + t + "' is not an address");
        }
    }

    private static byte[] parseV4(String field, String text, String addr) {
        var m = IPV4.matcher(addr);
        if (!m.matches()) throw ValidationException.of(field, "'" + text + "' is not a CIDR block: write e.g. 10.0.0.0/8");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) throw ValidationException.of(field, "'" + text + "' has an octet above 255 (" + octet + ")");
            b[i] = (byte) octet;
        }
        return b;
    }

    private static byte[] parseV6(String field, String text, String addr) {
        if (!IPV6.matcher(addr).matches()) throw ValidationException.of(field, "'" + text + "' is not an IPv6 CIDR block: write e.g. 2001:db8::/32");
        try {
            byte[] b = InetAddress.getByName(addr).getAddress();
            if (b.length != 16) throw new UnknownHostException();
            return b;
        } catch (UnknownHostException e) {
            throw ValidationException.of(field, "'" + text + "' is not an IPv6 CIDR block: write e.g. 2001:db8::/32");
        }
    }

    /** RFC 5952 form: the longest run of two or more zero groups becomes "::". */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) j++;
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }

    private static byte[] toBytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
