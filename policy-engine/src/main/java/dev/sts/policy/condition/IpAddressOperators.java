package dev.sts.policy.condition;

import java.util.List;

/**
 * {@code IpAddress} / {@code NotIpAddress}: IPv4 or IPv6 CIDR ranges; an address without a
 * prefix length is a single host (/32, /128). An IPv4 request address never matches an IPv6
 * range and vice versa. Parsing is done here, never through name resolution.
 */
final class IpAddressOperators {

    private IpAddressOperators() {
    }

    static ValueMatcher compile(List<String> values) {
        Cidr[] ranges = new Cidr[values.size()];
        int v4 = 0;
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = Cidr.parse(values.get(i), true);
            if (ranges[i] != null && ranges[i].bytes.length == 4) {
                v4++;
            }
        }
        // IPv4 ranges as (network, mask) ints: the common case matches without allocating
        int[] nets = new int[v4];
        int[] masks = new int[v4];
        int k = 0;
        for (Cidr r : ranges) {
            if (r != null && r.bytes.length == 4) {
                masks[k] = r.prefix == 0 ? 0 : -1 << (32 - r.prefix);
                nets[k] = toInt(r.bytes) & masks[k];
                k++;
            }
        }
        return (value, vars) -> {
            long a = parseV4Int(value);
            if (a >= 0) {
                int ip = (int) a;
                for (int i = 0; i < nets.length; i++) {
                    if ((ip & masks[i]) == nets[i]) {
                        return true;
                    }
                }
                return false;
            }
            Cidr addr = Cidr.parse(value, false);
            if (addr == null || addr.bytes.length == 4) {
                return false;
            }
            for (Cidr r : ranges) {
                if (r != null && r.contains(addr.bytes)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** A dotted-quad IPv4 address (no prefix, surrounding whitespace allowed) as an unsigned int, or -1. */
    static long parseV4Int(String s) {
        if (s == null) {
            return -1;
        }
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) <= ' ') {
            i++;
        }
        while (n > i && s.charAt(n - 1) <= ' ') {
            n--;
        }
        long out = 0;
        for (int part = 0; part < 4; part++) {
            int start = i;
            int v = 0;
            while (i < n && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || v > 255) {
                return -1;
            }
            out = out << 8 | v;
            if (part < 3) {
                if (i >= n || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == n ? out : -1;
    }

    /** An address plus prefix length. */
    record Cidr(byte[] bytes, int prefix) {

        boolean contains(byte[] addr) {
            if (addr.length != bytes.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != bytes[i]) {
                    return false;
                }
            }
            int rem = prefix % 8;
            if (rem == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rem)) & 0xFF;
            return (addr[full] & mask) == (bytes[full] & mask);
        }

        static Cidr parse(String s, boolean allowPrefix) {
            if (s == null) {
                return null;
            }
            String t = s.trim();
            if (t.isEmpty() || t.length() > 64) {
                return null;
            }
            int slash = t.indexOf('/');
            String host = slash < 0 ? t : t.substring(0, slash);
            byte[] b = host.indexOf(':') >= 0 ? parseV6(host) : parseV4(host);
            if (b == null) {
                return null;
            }
            int max = b.length * 8;
            int prefix = max;
            if (slash >= 0) {
                if (!allowPrefix) {
                    return null;
                }
                String p = t.substring(slash + 1);
                if (p.isEmpty() || p.length() > 3) {
                    return null;
                }
                for (int i = 0; i < p.length(); i++) {
                    if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                        return null;
                    }
                }
                prefix = Integer.parseInt(p);
                if (prefix > max) {
                    return null;
                }
            }
            return new Cidr(b, prefix);
        }

        static byte[] parseV4(String s) {
            byte[] out = new byte[4];
            int part = 0;
            int i = 0;
            int n = s.length();
            while (part < 4) {
                int start = i;
                int v = 0;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                    v = v * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start || v > 255) {
                    return null;
                }
                out[part++] = (byte) v;
                if (part < 4) {
                    if (i >= n || s.charAt(i) != '.') {
                        return null;
                    }
                    i++;
                }
            }
            return i == n ? out : null;
        }

        static byte[] parseV6(String s) {
            int zone = s.indexOf('%');
            if (zone >= 0) {
                s = s.substring(0, zone);
            }
            // a second "::" (or ":::") leaves an empty group in the tail, which groups() rejects
            int dbl = s.indexOf("::");
            String head = dbl >= 0 ? s.substring(0, dbl) : s;
            String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
            int[] h = groups(head);
            int[] tl = groups(tail);
            if (h == null || tl == null) {
                return null;
            }
            int total = h.length + tl.length;
            if (dbl < 0 ? total != 8 : total > 7) {
                return null;
            }
            byte[] out = new byte[16];
            int pos = 0;
            for (int g : h) {
                out[pos++] = (byte) (g >> 8);
                out[pos++] = (byte) g;
            }
            pos = 16 - tl.length * 2;
            for (int g : tl) {
                out[pos++] = (byte) (g >> 8);
                out[pos++] = (byte) g;
            }
            return out;
        }

        /** Hex groups separated by ':'; a trailing dotted IPv4 counts as two groups. */
        private static int[] groups(String s) {
            if (s.isEmpty()) {
                return new int[0];
            }
            String[] parts = s.split(":", -1);
            int extra = 0;
            String last = parts[parts.length - 1];
            byte[] v4 = null;
            if (last.indexOf('.') >= 0) {
                v4 = parseV4(last);
                if (v4 == null) {
                    return null;
                }
                extra = 1;
            }
            int[] out = new int[parts.length + extra];
            int n = parts.length - (v4 != null ? 1 : 0);
            for (int i = 0; i < n; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 4) {
                    return null;
                }
                int v = 0;
                for (int j = 0; j < p.length(); j++) {
                    int d = Character.digit(p.charAt(j), 16);
                    if (d < 0) {
                        return null;
                    }
                    v = v * 16 + d;
                }
                out[i] = v;
            }
            if (v4 != null) {
                out[n] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                out[n + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
            }
            return out;
        }
    }
}
