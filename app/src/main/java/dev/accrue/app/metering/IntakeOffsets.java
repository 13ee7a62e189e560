package dev.accrue.app.metering;

import java.util.Collection;
import java.util.Map;

/**
 * How far the intake log was folded into the database, per topic partition: the next offset to fold. Saved in the
 * transaction that stores the events, so "folded" and "stored" can never disagree, whichever consumer dies when.
 */
public interface IntakeOffsets {
    /** The next offset to fold of each partition that has one (a partition never folded is absent). */
    Map<Integer, Long> next(String topic, Collection<Integer> partitions);

    /** Moves the partitions forward to {@code next}; never backwards (a consumer that lost its partitions may still commit). */
    void advance(String topic, Map<Integer, Long> next);
}
