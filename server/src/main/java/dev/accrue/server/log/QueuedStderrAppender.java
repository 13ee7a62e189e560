package dev.accrue.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Log lines to standard error, written by one thread of its own a batch at a time. Every request writes an access
 * line; written by the request's thread (logback's console appender) each line took a lock shared by all requests
 * and one write to standard error, and with dozens of requests under way their threads queued for that lock. Here a
 * request's thread only prepares its event (message, MDC, thread name: what must be read on that thread) and queues
 * it, without a lock and without waking anyone; the writer wakes every {@link #PACE_MILLIS} ms, encodes everything
 * queued and writes it with one write and one flush. (A writer woken for each line, as a blocking queue does, cost
 * more than the synchronous write it replaced: a wake-up per line on both sides.)
 * <p>
 * Nothing is dropped: when the queue is full a logging thread waits for room, as it waited for the lock before. At
 * JVM exit (a shutdown hook of its own) everything queued is written, and from then on lines are written at once by
 * the thread that logs them, so what other shutdown hooks log while the node stops is not lost. A JVM killed
 * outright loses at most what was queued (a few milliseconds' lines), where a line-at-a-time writer lost none.
 * Lines keep the order in which they were queued; they reach standard error within {@link #PACE_MILLIS} ms.
 */
public final class QueuedStderrAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Marks the end of the queue for the writer (never encoded). */
    private static final ILoggingEvent END = new LoggingEvent();
    /** How often the writer looks for queued lines: the most a line waits before it is written. */
    static final long PACE_MILLIS = 10;
    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 16_384;
    private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    /** Lines queued and not yet taken by the writer (the queue's own size() is a walk of it). */
    private final AtomicInteger queued = new AtomicInteger();
    private Thread writer;
    private Thread hook;
    /** Set at JVM exit: from then on a logging thread writes what is queued itself. */
    private volatile boolean direct;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** Lines that may wait for the writer before a logging thread waits for room. */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named [" + name + "]");
            return;
        }
        writer = Thread.ofPlatform().daemon().name("accrue-log-writer").start(this::writeQueued);
        hook = new Thread(this::writeEverythingAndGoDirect, "accrue-log-flush");
        Runtime.getRuntime().addShutdownHook(hook);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // the message, MDC and thread name are this thread's: read them now
        while (queued.get() >= queueSize && !direct) { // full: wait for room rather than drop the line
            LockSupport.unpark(writer);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        queued.incrementAndGet();
        queue.add(event);
        if (direct) { // the writer may have stopped: whatever is queued is written here (a line queued after the final drain included)
            writeDirect();
        }
    }

    /** The writer's loop: every PACE_MILLIS, takes everything queued and writes it in one go. Ends at {@link #END}. */
    private void writeQueued() {
        List<ILoggingEvent> batch = new ArrayList<>(1024);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            boolean end = take(batch);
            if (batch.isEmpty() && !end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
                continue;
            }
            try {
                encode(batch, bytes);
                flush(bytes);
            } catch (Throwable e) { // the writer never dies: logging threads would wait for room forever
                bytes.reset();
                addError("Could not write log lines", e);
            }
            batch.clear();
            if (end) {
                return;
            }
        }
    }

    /** Moves what is queued (at most 4,096 lines) into {@code batch}; answers whether {@link #END} was among it. */
    private boolean take(List<ILoggingEvent> batch) {
        boolean end = false;
        ILoggingEvent next;
        while (batch.size() < 4096 && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            if (next == END) {
                end = true;
            } else {
                batch.add(next);
            }
        }
        return end;
    }

    /** Encodes {@code batch} into {@code bytes}. */
    private void encode(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
        for (ILoggingEvent event : batch) {
            try {
                bytes.writeBytes(encoder.encode(event));
            } catch (RuntimeException e) {
                addError("Could not encode a log line", e);
            }
        }
    }

    /** Standard error as it is now (a test may have replaced it), one write and one flush for the whole batch. */
    private static void flush(ByteArrayOutputStream bytes) {
        if (bytes.size() > 0) {
            PrintStream err = System.err;
            err.write(bytes.toByteArray(), 0, bytes.size());
            err.flush();
            bytes.reset();
        }
    }

    /** At exit: every queued line is written, then the writer stops and logging threads write their own lines. */
    private void writeEverythingAndGoDirect() {
        direct = true;
        queued.incrementAndGet();
        queue.add(END);
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeDirect();
    }

    /** Writes what is queued from the calling thread (after the writer stopped); one writer at a time keeps the order. */
    private synchronized void writeDirect() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (take(batch) || !batch.isEmpty()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encode(batch, bytes);
            flush(bytes);
            batch.clear();
        }
    }

    /** Writes everything queued so far and stops the writer (logback's own stop: a reconfiguration, a context stop). */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        writeEverythingAndGoDirect();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs or ran
        }
    }
}
