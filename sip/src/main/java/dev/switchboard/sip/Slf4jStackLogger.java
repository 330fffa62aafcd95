package dev.switchboard.sip;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * Sends the JAIN-SIP stack's own log to SLF4J (logger {@code gov.nist.javax.sip}), so the stack logs
 * where the rest of Switchboard logs. Named in the stack's {@code gov.nist.javax.sip.STACK_LOGGER}
 * property; instantiated by the stack.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");
    /** The stack logs whole datagrams (64 KiB of zeros for one bad packet); a line is enough. */
    private static final int MAX = 500;

    private static String cut(String message) {
        return message == null || message.length() <= MAX ? message : message.substring(0, MAX) + "…";
    }

    @Override public void logStackTrace() { if (log.isTraceEnabled()) log.trace("stack trace", new Throwable()); }
    @Override public void logStackTrace(int level) { logStackTrace(); }
    @Override public int getLineCount() { return 0; }
    /** The stack reports bad input from the network as exceptions: worth a line, not a stack trace. */
    @Override
    public void logException(Throwable t) {
        if (log.isDebugEnabled()) log.debug("SIP stack exception", t);
        else log.warn("SIP stack exception: {}", cut(String.valueOf(t)));
    }

    @Override public void logDebug(String message) { log.debug(cut(message)); }
    @Override public void logDebug(String message, Exception e) { log.debug(cut(message), e); }
    @Override public void logTrace(String message) { log.trace(message); }
    @Override public void logFatalError(String message) { log.error(cut(message)); }
    // what the stack calls an error is mostly a message it could not parse: a warning for us
    @Override public void logError(String message) { log.warn(cut(message)); }
    @Override public boolean isLoggingEnabled() { return log.isWarnEnabled(); }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (level >= TRACE_TRACE) return log.isTraceEnabled();
        if (level >= TRACE_DEBUG) return log.isDebugEnabled();
        if (level >= TRACE_INFO) return log.isInfoEnabled();
        if (level >= TRACE_WARN) return log.isWarnEnabled();
        return level > TRACE_NONE && log.isErrorEnabled();
    }

    @Override public void logError(String message, Exception e) { log.warn(cut(message) + ": " + cut(String.valueOf(e))); }
    // its warnings are start-up notes (default TLS settings and the like)
    @Override public void logWarning(String message) { log.info(cut(message)); }
    @Override public void logInfo(String message) { log.info(cut(message)); }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String timeStamp) { }
    @Override public void setStackProperties(Properties properties) { }
    @Override public String getLoggerName() { return log.getName(); }
}
