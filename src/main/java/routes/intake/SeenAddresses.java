package routes.intake;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Addresses already taken in one campaign, as 64-bit hashes in an open-addressing table: 1,000,000
 * recipients cost 16 MB instead of ~120 MB of strings. Two different addresses colliding has a
 * probability of about 3·10⁻⁸ for a million recipients; the later one would be reported a duplicate.
 */
final class SeenAddresses {

    private long[] slots = new long[1 << 16];
    private int size;

    /** @return true if the address was not seen before */
    boolean add(String address) {
        long hash = hash(address.toLowerCase(Locale.ROOT));
        if (size * 2 >= slots.length) {
            grow();
        }
        if (insert(slots, hash)) {
            size++;
            return true;
        }
        return false;
    }

    private static boolean insert(long[] table, long hash) {
        int mask = table.length - 1;
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == hash) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = hash;
        return true;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long hash : slots) {
            if (hash != 0) {
                insert(bigger, hash);
            }
        }
        slots = bigger;
    }

    /** FNV-1a 64 with a final mix; 0 is reserved for empty slots. */
    private static long hash(String address) {
        long h = 0xcbf29ce484222325L;
        for (byte b : address.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
