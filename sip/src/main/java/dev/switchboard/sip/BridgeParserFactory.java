package dev.switchboard.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * JAIN-SIP's parser with two changes, both for requests the stock stack would mishandle:
 * <ul>
 *   <li>a request keeps the SIP version it came with. The stock parser reads {@code INVITE sip:x
 *       SIP/7.0} as SIP/2.0, so the bridge could not answer 505 as RFC 3261 8.2 asks (see
 *       {@link SipRequests});</li>
 *   <li>a request without Call-ID, From or To is answered 400 here ({@link MissingHeaders}), since
 *       the stack drops it right after parsing.</li>
 * </ul>
 * Named in the stack's {@code MESSAGE_PARSER_FACTORY} property, hence public; not for other use.
 */
public final class BridgeParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new StringMsgParser() {
            @Override
            public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
                                              ParseExceptionListener listener) throws ParseException {
                SIPMessage message = super.parseSIPMessage(bytes, readBody, strict, listener);
                if (message instanceof SIPRequest request && request.getRequestLine() != null) {
                    String version = version(bytes);
                    if (version != null) request.getRequestLine().setSipVersion(version);
                    MissingHeaders.answer(request, listener);
                }
                return message;
            }
        };
    }

    /** The last token of the request line, when it is some SIP/x.y other than SIP/2.0; else null. */
    private static String version(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) start++;
        int end = start;
        while (end < bytes.length && bytes[end] != '\r' && bytes[end] != '\n') end++;
        String line = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1).trim();
        int space = line.lastIndexOf(' ');
        String version = space < 0 ? "" : line.substring(space + 1);
        return version.regionMatches(true, 0, "SIP/", 0, 4) && !version.equalsIgnoreCase("SIP/2.0") ? version : null;
    }
}
