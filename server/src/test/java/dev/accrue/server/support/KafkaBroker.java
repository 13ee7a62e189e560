package dev.accrue.server.support;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker per test JVM, in KRaft mode (a combined broker and controller), started from Apache Kafka's
 * own test kit — the way Kafka's tests start theirs. Tests isolate themselves by topic and consumer group.
 */
public final class KafkaBroker {
    private static KafkaClusterTestKit cluster;

    private KafkaBroker() {
    }

    /** The broker's bootstrap address, starting it on first use. */
    public static synchronized String bootstrap() {
        if (cluster == null) {
            try {
                KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .build();
                started.format();
                started.startup();
                started.waitForReadyBrokers();
                cluster = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (Exception ignored) {
                        // the JVM ends anyway
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("Starting the test Kafka broker failed", e);
            }
        }
        return cluster.bootstrapServers();
    }
}
