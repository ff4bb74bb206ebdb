package io.jipvs.netlink.nltest;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Byte vectors written by hand in tests: hex digits, whitespace and '|' separators ignored. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String clean = hex.replaceAll("[\\s|]", "");
        out.writeBytes(HexFormat.of().parseHex(clean));
        return out.toByteArray();
    }

    public static String of(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
