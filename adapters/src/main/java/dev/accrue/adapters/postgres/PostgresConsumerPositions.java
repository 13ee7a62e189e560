package dev.accrue.adapters.postgres;

import dev.accrue.app.event.ConsumerPositions;
import dev.accrue.app.event.DomainEvents.Position;

public final class PostgresConsumerPositions implements ConsumerPositions {
    private final JdbiTransactions tx;

    public PostgresConsumerPositions(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Position lock(String consumer) {
        return tx.handle().createQuery("SELECT tx_id, sequence FROM event_consumers WHERE name = :name FOR UPDATE")
                .bind("name", consumer).map((rs, ctx) -> new Position(rs.getLong("tx_id"), rs.getLong("sequence"))).findOne()
                .orElseThrow(() -> new IllegalStateException("No event consumer '" + consumer + "' (migration V170 registers them)"));
    }

    @Override
    public void save(String consumer, Position position) {
        tx.handle().createUpdate("UPDATE event_consumers SET tx_id = :tx, sequence = :seq, updated_at = now() WHERE name = :name")
                .bind("name", consumer).bind("tx", position.transaction()).bind("seq", position.sequence()).execute();
    }
}
