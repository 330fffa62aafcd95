package dev.switchboard.sip;

import javax.sip.header.AuthorizationHeader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** RFC 2617 3.2.2, computed the long way: what a digest answer must hold, for tests to compare with. */
final class Digest {

    private Digest() {
    }

    /**
     * The response to the challenge that sent {@code nonce}, over the request the answer went with (its
     * own nc and cnonce when qop is used).
     */
    static String expected(AuthorizationHeader auth, String method, String nonce, String user, String password)
            throws Exception {
        String ha1 = md5(user + ":" + auth.getRealm() + ":" + password);
        String ha2 = md5(method + ":" + auth.getParameter("uri"));
        return auth.getQop() == null
                ? md5(ha1 + ":" + nonce + ":" + ha2)
                : md5(ha1 + ":" + nonce + ":" + String.format("%08x", auth.getNonceCount()) + ":"
                        + auth.getCNonce() + ":" + auth.getQop() + ":" + ha2);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
