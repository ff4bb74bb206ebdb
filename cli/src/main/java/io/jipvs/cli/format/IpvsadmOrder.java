package io.jipvs.cli.format;

import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order ipvsadm lists in: its comparators (differences taken in wrapping 32-bit arithmetic,
 * hence not numeric and not even transitive) applied by glibc 2.36's qsort, a stable top-down
 * merge sort. Java's TimSort would give a different order for such a comparator, so the merge
 * sort is reproduced step for step.
 */
public final class IpvsadmOrder {
    private IpvsadmOrder() {
    }

    /** ipvs_cmp_services. */
    public static final Comparator<ServiceKey> SERVICES = (a, b) -> {
        int r = (int) (a.fwmark() - b.fwmark());
        if (r != 0) {
            return r;
        }
        r = a.family().number() - b.family().number();
        if (r != 0) {
            return r;
        }
        r = protocol(a) - protocol(b);
        if (r != 0) {
            return r;
        }
        r = addressDiff(words(a.address()), words(b.address()), a.family().number() == 10 ? 4 : 1);
        if (r != 0) {
            return r;
        }
        return a.port() - b.port();
    };

    /** ipvs_cmp_dests: address by the first destination's family, then port. */
    public static final Comparator<DestinationEntry> DESTINATIONS = (a, b) -> {
        InetAddress x = a.destination().address();
        int r = addressDiff(words(x), words(b.destination().address()), x.getAddress().length == 16 ? 4 : 1);
        if (r != 0) {
            return r;
        }
        return a.destination().port() - b.destination().port();
    };

    private static int protocol(ServiceKey k) {
        return k.protocol() == null ? 0 : k.protocol().number();
    }

    /** The address as ipvsadm's union nf_inet_addr: four host-order 32-bit words (IPv4 in the first). */
    private static int[] words(InetAddress address) {
        int[] w = new int[4];
        if (address == null) {
            return w;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length / 4; i++) {
            w[i] = (b[4 * i] & 0xFF) << 24 | (b[4 * i + 1] & 0xFF) << 16 | (b[4 * i + 2] & 0xFF) << 8
                    | (b[4 * i + 3] & 0xFF);
        }
        return w;
    }

    private static int addressDiff(int[] a, int[] b, int count) {
        for (int i = 0; i < count; i++) {
            int r = a[i] - b[i]; // wraps like the C unsigned subtraction cast to int
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    /** glibc msort: split n/2, sort both halves, merge taking the left element while cmp <= 0. */
    public static <T> List<T> sort(List<T> input, Comparator<? super T> cmp) {
        List<T> list = new ArrayList<>(input);
        @SuppressWarnings("unchecked")
        T[] a = (T[]) list.toArray();
        @SuppressWarnings("unchecked")
        T[] tmp = (T[]) new Object[a.length];
        msort(a, 0, a.length, tmp, cmp);
        return List.of(a);
    }

    private static <T> void msort(T[] a, int from, int n, T[] tmp, Comparator<? super T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        int b1 = from;
        int b2 = from + n1;
        msort(a, b1, n1, tmp, cmp);
        msort(a, b2, n2, tmp, cmp);
        int t = 0;
        while (n1 > 0 && n2 > 0) {
            if (cmp.compare(a[b1], a[b2]) <= 0) {
                tmp[t++] = a[b1++];
                n1--;
            } else {
                tmp[t++] = a[b2++];
                n2--;
            }
        }
        while (n1 > 0) {
            tmp[t++] = a[b1++];
            n1--;
        }
        // whatever is left of the right half is already in place
        System.arraycopy(tmp, 0, a, from, t);
    }
}
