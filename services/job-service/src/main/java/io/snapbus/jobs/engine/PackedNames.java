package io.snapbus.jobs.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * Names (snapshot paths, file names) packed into one byte array, for the per-tablet state a million-tablet job keeps:
 * one array instead of a list and a string per name, and a {@code .<md5>} suffix (32 hex digits, the repository's
 * names) kept as its 16 bytes. Two names of ~60 characters cost ~110 bytes instead of ~260. Unpacking gives back
 * exactly the names packed, null included.
 */
public final class PackedNames {
    private static final byte NULL = 0;
    private static final byte PLAIN = 1;
    private static final byte WITH_MD5 = 2;
    private static final int MD5_HEX = 32;
    private static final HexFormat HEX = HexFormat.of();

    private PackedNames() {}

    /** {@code names} (nulls allowed) in one array. */
    public static byte[] pack(List<String> names) {
        byte[][] texts = new byte[names.size()][];
        boolean[] md5s = new boolean[texts.length];
        int size = varintSize(names.size());
        for (int i = 0; i < texts.length; i++) {
            String name = names.get(i);
            if (name == null) {
                size++;
                continue;
            }
            boolean md5 = md5s[i] = hasMd5Suffix(name);
            texts[i] = (md5 ? name.substring(0, name.length() - MD5_HEX - 1) : name).getBytes(StandardCharsets.UTF_8);
            size += 1 + varintSize(texts[i].length) + texts[i].length + (md5 ? MD5_HEX / 2 : 0);
        }
        byte[] out = new byte[size];
        int at = writeVarint(out, 0, names.size());
        for (int i = 0; i < texts.length; i++) {
            String name = names.get(i);
            if (name == null) {
                out[at++] = NULL;
                continue;
            }
            boolean md5 = md5s[i];
            out[at++] = md5 ? WITH_MD5 : PLAIN;
            at = writeVarint(out, at, texts[i].length);
            System.arraycopy(texts[i], 0, out, at, texts[i].length);
            at += texts[i].length;
            if (md5) {
                byte[] digest = HEX.parseHex(name, name.length() - MD5_HEX, name.length());
                System.arraycopy(digest, 0, out, at, digest.length);
                at += digest.length;
            }
        }
        return out;
    }

    /** How many names {@code packed} holds. */
    public static int count(byte[] packed) {
        return (int) readVarint(packed, new int[] {0});
    }

    /** The names of {@code packed} from index {@code from} on. */
    public static List<String> unpack(byte[] packed, int from) {
        int[] at = {0};
        int count = (int) readVarint(packed, at);
        if (from >= count) {
            return List.of();
        }
        List<String> names = new ArrayList<>(count - from);
        for (int i = 0; i < count; i++) {
            String name = next(packed, at, i >= from);
            if (i >= from) {
                names.add(name);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Name {@code index} of {@code packed}. */
    public static String get(byte[] packed, int index) {
        int[] at = {0};
        int count = (int) readVarint(packed, at);
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index + " of " + count);
        }
        for (int i = 0; i < index; i++) {
            next(packed, at, false);
        }
        return next(packed, at, true);
    }

    /**
     * The directory part of {@code path} (up to and with its last '/'), one shared instance per distinct prefix: the
     * paths of one node's snapshots differ only after it. Null for a path without '/'. The instance is the JVM's
     * interned string, not a cache of ours: a value, the same for every job, that holds no job's state.
     */
    public static String sharedPrefix(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash + 1).intern();
    }

    private static String next(byte[] packed, int[] at, boolean decode) {
        byte tag = packed[at[0]++];
        if (tag == NULL) {
            return null;
        }
        int length = (int) readVarint(packed, at);
        int start = at[0];
        at[0] += length + (tag == WITH_MD5 ? MD5_HEX / 2 : 0);
        if (!decode) {
            return null;
        }
        String text = new String(packed, start, length, StandardCharsets.UTF_8);
        return tag == WITH_MD5 ? text + "." + HEX.formatHex(packed, start + length, start + length + MD5_HEX / 2)
                : text;
    }

    /** Whether {@code name} ends in {@code .<32 lowercase hex digits>}, which packs to 16 bytes and back exactly. */
    private static boolean hasMd5Suffix(String name) {
        int dot = name.length() - MD5_HEX - 1;
        if (dot < 0 || name.charAt(dot) != '.') {
            return false;
        }
        for (int i = dot + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static int varintSize(long value) {
        int size = 1;
        for (long v = value; (v & ~0x7FL) != 0; v >>>= 7) {
            size++;
        }
        return size;
    }

    /** Writes {@code value} at {@code at}; returns the index after it. */
    private static int writeVarint(byte[] out, int at, long value) {
        int i = at;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[i++] = (byte) v;
        return i;
    }

    private static long readVarint(byte[] in, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
