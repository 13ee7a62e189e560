package dev.accrue.server;

import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageFolder;
import dev.accrue.adapters.kafka.KafkaUsageLog;
import dev.accrue.app.metering.UsageFold;

import java.util.ArrayList;
import java.util.List;

/**
 * Kafka mode on this node (ACCRUE_KAFKA_BOOTSTRAP): the log that usage batches are acknowledged from, and the fold
 * that consumers of the group run to store them in PostgreSQL. A node that serves the API also folds
 * ({@link Accrue#serve}) with {@link KafkaSettings#foldConsumers()} consumers; any number of nodes share the topic's
 * partitions.
 */
public record KafkaIntake(KafkaSettings settings, KafkaUsageLog log, UsageFold fold) {

    /** Joins the consumer group as {@code consumerId} and folds its share of the partitions until closed. */
    public KafkaUsageFolder startFolding(String consumerId) {
        return new KafkaUsageFolder(settings, fold, consumerId).start();
    }

    /** This node's share of the fold: {@code foldConsumers} members of the group, {@code nodeId-1}, {@code nodeId-2}, … */
    public List<KafkaUsageFolder> startFoldingAll(String nodeId) {
        List<KafkaUsageFolder> folders = new ArrayList<>();
        for (int i = 1; i <= settings.foldConsumers(); i++) {
            folders.add(startFolding(nodeId + "-" + i));
        }
        return List.copyOf(folders);
    }
}
