package dev.accrue.app.event;

/**
 * Where each consumer of {@link DomainEvents} has got to. {@link #lock} holds the consumer's row for the caller's
 * transaction, so one node at a time consumes a batch and the new position commits with what the batch wrote: a
 * crash before the commit leaves both undone, and the batch is consumed again.
 */
public interface ConsumerPositions {
    DomainEvents.Position lock(String consumer);

    void save(String consumer, DomainEvents.Position position);
}
