package dev.accrue.adapters.pdf;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

/**
 * openhtmltopdf's log, sent to SLF4J at WARNING and above only: its INFO lines (one per font per render) are
 * noise in a server log and cost time on the rendering path.
 */
final class Slf4jXRLogger implements XRLogger {
    private static final Logger LOG = LoggerFactory.getLogger("com.openhtmltopdf");

    @Override
    public void log(String where, Level level, String msg) {
        log(where, level, msg, null);
    }

    @Override
    public void log(String where, Level level, String msg, Throwable th) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            LOG.error("{}: {}", where, msg, th);
        } else if (level.intValue() >= Level.WARNING.intValue()) {
            LOG.warn("{}: {}", where, msg, th);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // levels are SLF4J's to decide
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        return diagnostic.getLevel().intValue() >= Level.WARNING.intValue();
    }
}
