package dev.accrue.adapters.postgres;

import dev.accrue.app.tx.Transactions;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Binds one JDBI handle (one connection, one transaction) to the current thread for the duration of the
 * outermost {@link #inTransaction}; repositories take it from {@link #handle()}. Requests run on their own
 * (virtual) threads, so the binding never leaks between requests.
 *
 * <p>A transaction also carries what its repositories keep for its length: rows read many times and written by no one
 * in it ({@link #memo}, e.g. the tenant's settings, read by every subscription of a billing batch), and appends that no
 * one reads back before commit ({@link #deferred}, e.g. audit entries — not outbox events, whose sequence must be taken
 * when they are recorded), which go to the database as one batch just before the commit — so a billing batch of 500
 * subscriptions pays one round trip for them, not 500.
 * A deferred append is written in the same transaction, so it commits or rolls back with the change it records. In
 * auto-commit mode nothing is kept: each statement stands alone.
 *
 * <p>Rows written behind ({@link #writeBehind}: a claimed billing batch's invoices, lines and outbox events) wait
 * less: they go to the database as one multi-row statement per kind as soon as the transaction sends any other
 * statement through JDBI (checked in {@link StatementCustomizer#beforeExecution}), or before commit. Every later
 * statement of the transaction therefore sees them — a read, an update, a foreign key — exactly as if each had been
 * inserted when it was recorded; only the round trips are shared. A plain JDBC statement takes its connection from
 * {@link #connection}, which writes them first too.
 */
public final class JdbiTransactions implements Transactions {
    private final Jdbi jdbi;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ThreadLocal<Kept> kept = new ThreadLocal<>();

    /** What the current transaction keeps: memoized reads, and batches of appends flushed before commit (in first-use order). */
    private static final class Kept {
        final Map<Object, Object> memo = new HashMap<>();
        final Map<Object, Deferred<?>> deferred = new LinkedHashMap<>();
        /** A read-only unit ({@link #readOnly}: a read-only session or a READ ONLY transaction): nothing in it can change what it read. */
        final boolean readOnly;
        final Map<Object, Deferred<?>> writeBehind = new LinkedHashMap<>();
        boolean writingBehind;

        Kept(boolean readOnly) {
            this.readOnly = readOnly;
        }
    }

    /** Rows appended during a transaction and written together by {@code flush} before it commits. */
    public static final class Deferred<T> {
        private final List<T> rows = new ArrayList<>();
        private final BiConsumer<Handle, List<T>> flush;

        private Deferred(BiConsumer<Handle, List<T>> flush) {
            this.flush = flush;
        }

        public void add(T row) {
            rows.add(row);
        }

        private void flush(Handle handle) {
            if (!rows.isEmpty()) {
                List<T> batch = List.copyOf(rows);
                rows.clear();
                flush.accept(handle, batch);
            }
        }
    }

    public JdbiTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.getConfig(SqlStatements.class).addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
                Handle handle = current.get();
                if (handle != null && ctx.getConnection() == handle.getConnection()) {
                    flushWriteBehind();
                }
            }
        });
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        return jdbi.inTransaction(handle -> {
            current.set(handle);
            kept.set(new Kept(false));
            try {
                T result = work.get();
                flushWriteBehind();
                flushDeferred();
                return result;
            } finally {
                current.remove();
                kept.remove();
            }
        });
    }

    @Override
    public <T> T readOnly(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        return PooledConnections.reading(() -> jdbi.withHandle(handle -> {
            if (readOnlySession(handle)) {
                // the read-only pool: auto-commit, no BEGIN or COMMIT round trip; each statement (or statements sent together)
                // reads one moment, as in a READ COMMITTED transaction, and PostgreSQL refuses any write on the session
                return within(handle, work);
            }
            handle.setReadOnly(true); // BEGIN READ ONLY: PostgreSQL refuses writes, which is what makes memoWhileReadOnly exact
            try {
                return handle.inTransaction(h -> within(h, work));
            } finally {
                handle.setReadOnly(false);
            }
        }));
    }

    private static boolean readOnlySession(Handle handle) {
        try {
            return handle.getConnection().getAutoCommit() && handle.getConnection().isReadOnly();
        } catch (java.sql.SQLException e) {
            throw new org.jdbi.v3.core.ConnectionException(e);
        }
    }

    /** {@code work} as a read-only unit on {@code handle}: nothing in it can change what it read. */
    private <T> T within(Handle handle, Supplier<T> work) {
        current.set(handle);
        kept.set(new Kept(true));
        try {
            T result = work.get();
            flushDeferred(); // nothing should be deferred here; if it were, its write fails loudly instead of vanishing
            return result;
        } finally {
            current.remove();
            kept.remove();
        }
    }

    /**
     * {@code read}'s value for {@code key}, read once in a read-only unit ({@link #readOnly}) and every time
     * anywhere else. For reads whose rows other statements of a writing transaction may change (usage aggregates, a
     * subscription's add-ons) without a way to forget them reliably: a read-only unit has no such statements.
     */
    public <K, V> V memoWhileReadOnly(K key, Function<K, V> read) {
        Kept k = kept.get();
        return k != null && k.readOnly ? memo(key, read) : read.apply(key);
    }

    /** Whether the current transaction is READ ONLY ({@link #readOnly}): nothing in it can change what it reads. */
    public boolean readingOnly() {
        Kept k = kept.get();
        return k != null && k.readOnly;
    }

    /** What a read-only unit remembers for {@code key} ({@link #memoWhileReadOnly}); null otherwise. */
    public <V> V recallWhileReadOnly(Object key) {
        Kept k = kept.get();
        return k != null && k.readOnly ? recall(key) : null;
    }

    /**
     * The current transaction's batch for {@code key} (created with {@code flush} on first use), or null when there is
     * no transaction to defer to (auto-commit, or none): the caller then writes at once.
     */
    @SuppressWarnings("unchecked")
    public <T> Deferred<T> deferred(Object key, BiConsumer<Handle, List<T>> flush) {
        Kept k = kept.get();
        return k == null ? null : (Deferred<T>) k.deferred.computeIfAbsent(key, x -> new Deferred<>(flush));
    }

    /**
     * The current transaction's write-behind rows for {@code key} (created with {@code flush} on first use; flushed in first-use
     * order, so rows another kind refers to are registered first), or null outside a transaction: the caller then writes at once.
     * {@code flush} writes the rows it is given with as few statements as it can; it may throw to fail the transaction.
     */
    @SuppressWarnings("unchecked")
    public <T> Deferred<T> writeBehind(Object key, BiConsumer<Handle, List<T>> flush) {
        Kept k = kept.get();
        return k == null ? null : (Deferred<T>) k.writeBehind.computeIfAbsent(key, x -> new Deferred<>(flush));
    }

    /** Writes the rows written behind, unless this is one of their own statements. */
    private void flushWriteBehind() {
        Kept k = kept.get();
        if (k == null || k.writingBehind) {
            return;
        }
        k.writingBehind = true;
        try {
            for (Deferred<?> d : List.copyOf(k.writeBehind.values())) {
                d.flush(handle());
            }
        } finally {
            k.writingBehind = false;
        }
    }

    /** Writes every deferred append of the current transaction now: before a statement that must see them (or delete them). */
    public void flushDeferred() {
        Kept k = kept.get();
        if (k != null) {
            for (Deferred<?> d : List.copyOf(k.deferred.values())) {
                d.flush(handle());
            }
        }
    }

    /** Writes the current transaction's deferred batch for {@code key} now, if it has one: before a statement that must see it. */
    public void flushDeferred(Object key) {
        Kept k = kept.get();
        Deferred<?> d = k == null ? null : k.deferred.get(key);
        if (d != null) {
            d.flush(handle());
        }
    }

    /** {@code read}'s value for {@code key}, read once per transaction (every time outside one); {@link #forget} after writing it. */
    @SuppressWarnings("unchecked")
    public <K, V> V memo(K key, Function<K, V> read) {
        Kept k = kept.get();
        if (k == null) {
            return read.apply(key);
        }
        if (k.memo.containsKey(key)) {
            return (V) k.memo.get(key);
        }
        V value = read.apply(key);
        k.memo.put(key, value);
        return value;
    }

    /** Keeps {@code value} for {@code key} to the end of the current transaction (nothing outside one). */
    public void remember(Object key, Object value) {
        Kept k = kept.get();
        if (k != null) {
            k.memo.put(key, value);
        }
    }

    /** What the current transaction remembers for {@code key}: null when nothing (always outside one). */
    @SuppressWarnings("unchecked")
    public <V> V recall(Object key) {
        Kept k = kept.get();
        return k == null ? null : (V) k.memo.get(key);
    }

    /** Whether the current transaction remembers {@code key} (never outside one). */
    public boolean remembers(Object key) {
        Kept k = kept.get();
        return k != null && k.memo.containsKey(key);
    }

    /** Drops every memoized read whose key passes {@code test}. */
    public void forgetIf(Predicate<Object> test) {
        Kept k = kept.get();
        if (k != null) {
            k.memo.keySet().removeIf(test);
        }
    }

    /** Drops a memoized read: the transaction has just changed what it read. */
    public void forget(Object key) {
        Kept k = kept.get();
        if (k != null) {
            k.memo.remove(key);
        }
    }

    @Override
    public <T> T rolledBack(Supplier<T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("A rolled-back transaction cannot join an open one");
        }
        return jdbi.withHandle(handle -> {
            handle.begin();
            current.set(handle);
            kept.set(new Kept(false));
            try {
                return work.get(); // what it deferred is dropped with the rest
            } finally {
                current.remove();
                kept.remove();
                handle.rollback();
            }
        });
    }

    @Override
    public boolean inProgress() {
        return current.get() != null;
    }

    @Override
    public <T> T autoCommit(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        return jdbi.withHandle(handle -> { // auto-commit: each statement is its own transaction
            current.set(handle);
            try {
                return work.get();
            } finally {
                current.remove();
            }
        });
    }

    /**
     * The transaction's connection for a plain JDBC statement (the hot reads, {@link PositionalSql}): what was written
     * behind is written first, as JDBI's statements do (the customizer above), so the statement sees it.
     */
    public java.sql.Connection connection() {
        Handle handle = handle();
        flushWriteBehind();
        return handle.getConnection();
    }

    /** The handle of the calling thread's transaction, or null outside one. */
    Handle currentHandle() {
        return current.get();
    }

    public Handle handle() {
        Handle handle = current.get();
        if (handle == null) {
            throw new IllegalStateException("Repository used outside a transaction; wrap the use case in Transactions.inTransaction");
        }
        return handle;
    }
}
