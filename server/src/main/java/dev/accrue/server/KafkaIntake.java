package dev.accrue.server;

import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageFolder;
import dev.accrue.adapters.kafka.KafkaUsageLog;
import dev.accrue.app.metering.UsageFold;

/**
 * Kafka mode on this node (ACCRUE_KAFKA_BOOTSTRAP): the log that usage batches are acknowledged from, and the fold
 * that a consumer of the group runs to store them in PostgreSQL. A node that serves the API also folds
 * ({@link Accrue#serve}); any number of nodes share the topic's partitions.
 */
public record KafkaIntake(KafkaSettings settings, KafkaUsageLog log, UsageFold fold) {

    /** Joins the consumer group as {@code consumerId} and folds its share of the partitions until closed. */
    public KafkaUsageFolder startFolding(String consumerId) {
        return new KafkaUsageFolder(settings, fold, consumerId).start();
    }
}
