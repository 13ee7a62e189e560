package dev.accrue.adapters.postgres;

import dev.accrue.app.tx.Transactions;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Supplier;

/**
 * Binds one JDBI handle (one connection, one transaction) to the current thread for the duration of the
 * outermost {@link #inTransaction}; repositories take it from {@link #handle()}. Requests run on their own
 * (virtual) threads, so the binding never leaks between requests.
 */
public final class JdbiTransactions implements Transactions {
    private final Jdbi jdbi;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();

    public JdbiTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        return jdbi.inTransaction(handle -> {
            current.set(handle);
            try {
                return work.get();
            } finally {
                current.remove();
            }
        });
    }

    @Override
    public <T> T rolledBack(Supplier<T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("A rolled-back transaction cannot join an open one");
        }
        return jdbi.withHandle(handle -> {
            handle.begin();
            current.set(handle);
            try {
                return work.get();
            } finally {
                current.remove();
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

    public Handle handle() {
        Handle handle = current.get();
        if (handle == null) {
            throw new IllegalStateException("Repository used outside a transaction; wrap the use case in Transactions.inTransaction");
        }
        return handle;
    }
}
