package dev.accrue.adapters.kafka;

import dev.accrue.app.metering.UsageIntake;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.metering.TelecomEvents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends validated usage to the intake topic: one record per client event, keyed by tenant and customer so a
 * customer's events keep their order in one partition. The producer is idempotent with {@code acks=all}: a batch is
 * acknowledged only once every in-sync replica holds every one of its records, and the producer's own retries never
 * write a record twice.
 */
public final class KafkaUsageLog implements UsageIntake, AutoCloseable {
    /** How long a request waits for the log before answering {@code 503 intake_unavailable}. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaUsageLog.class);
    private final KafkaSettings settings;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaUsageLog(KafkaSettings settings) {
        this.settings = settings;
        createTopicIfMissing(settings);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ACK_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "accrue-intake"),
                new StringSerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return settings.topic();
    }

    /** The record key: tenant-first like every key of Accrue, and the customer, whose events one partition keeps in order. */
    static String key(String tenantId, String customerId) {
        return tenantId + '/' + customerId;
    }

    @Override
    public Set<String> append(String tenantId, List<MeteredEvent> events, Instant receivedAt) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            int from = 0;
            for (int i = 1; i <= events.size(); i++) {
                // the legs of one client event are adjacent (validation adds them together): one record for them all
                if (i == events.size() || !clientEventId(events.get(i)).equals(clientEventId(events.get(from)))) {
                    List<MeteredEvent> legs = events.subList(from, i);
                    sent.add(producer.send(new ProducerRecord<>(settings.topic(), key(tenantId, legs.getFirst().customerId()),
                            LoggedEvents.write(tenantId, legs))));
                    from = i;
                }
            }
            long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unavailable(e);
        }
        return Set.of(); // de-duplication happens when the events are folded
    }

    private static String clientEventId(MeteredEvent e) {
        String id = e.eventId();
        return TelecomEvents.isForwardLeg(id) ? id.substring(0, id.length() - TelecomEvents.FORWARD_LEG_SUFFIX.length()) : id;
    }

    private static AccrueException unavailable(Exception cause) {
        LOG.warn("The usage intake log did not confirm a batch: {}", cause.toString());
        return new AccrueException(ErrorCode.INTAKE_UNAVAILABLE,
                "The usage log did not confirm this batch in time; send it again with the same event ids (each is stored once)");
    }

    private static void createTopicIfMissing(KafkaSettings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            // the broker stamps each record when it appends it: the fold delay is measured from there, on one clock
            admin.createTopics(List.of(new NewTopic(settings.topic(), Optional.of(settings.partitions()), Optional.empty())
                            .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"))))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Created the usage intake topic {} ({} partitions)", settings.topic(), settings.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the usage intake topic " + settings.topic() + " on " + settings.bootstrap(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the usage intake topic", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrap() + " did not answer within 30 s", e);
        }
    }

    /** Without waiting: what was not acknowledged was not promised (a client resends it with the same ids). */
    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }
}
