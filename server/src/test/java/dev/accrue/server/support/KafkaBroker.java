package dev.accrue.server.support;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test run, in KRaft mode (a combined broker and controller), started from Apache Kafka's
 * own test kit — the way Kafka's tests start theirs. Tests isolate themselves by topic and consumer group.
 *
 * <p>A test class that uses it declares {@code @ExtendWith(KafkaBroker.class)}: the broker then stops when the whole
 * run ends, before the JVM exits. Stopping it from a shutdown hook raced the test kit's own hook, which deletes the
 * broker's directories at exit; a broker that loses its log directory halts the JVM with status 1, and surefire
 * failed a build whose tests had all passed ("Error occurred in starting fork").
 */
public final class KafkaBroker implements BeforeAllCallback {
    private static KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root store closes its AutoCloseable values when the run ends, however many classes registered
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(KafkaBroker.class, key -> (AutoCloseable) KafkaBroker::stop);
    }

    /** The broker's bootstrap address, starting it on first use. */
    public static synchronized String bootstrap() {
        if (cluster == null) {
            // a broker's fatal error halts its JVM — here the whole test JVM, which surefire then reports only as "Error
            // occurred in starting fork"; while the broker runs, such a halt is refused loudly instead (as Kafka's own tests do)
            Exit.Procedure refuse = (status, message) -> {
                System.err.println("The test Kafka broker asked to stop the JVM (status " + status + "): " + message);
                throw new IllegalStateException("the test Kafka broker asked to stop the JVM (status " + status + "): " + message);
            };
            Exit.setHaltProcedure(refuse);
            Exit.setExitProcedure(refuse);
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
            } catch (Exception e) {
                throw new IllegalStateException("Starting the test Kafka broker failed", e);
            }
        }
        return cluster.bootstrapServers();
    }

    private static synchronized void stop() throws Exception {
        if (cluster != null) {
            try {
                cluster.close();
            } finally {
                cluster = null;
                Exit.resetHaltProcedure();
                Exit.resetExitProcedure();
            }
        }
    }
}
