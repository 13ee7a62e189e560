package dev.accrue.adapters.kafka;

import dev.accrue.app.metering.UsageFold;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One member of the consumer group that folds the intake topic into PostgreSQL. Where it reads from is the database's
 * word, never Kafka's: on every assignment it seeks each partition to the offset stored with the events
 * ({@code usage_intake_offsets}), and each poll is folded — events, aggregates and offsets — in one transaction
 * ({@link UsageFold}). A fold that fails rolls back and the partitions are read again from the stored offsets.
 * Kafka's committed offsets are written too, at most once a second after a fold, only so Kafka's tools can show the group's
 * lag. A node runs several such members ({@link KafkaSettings#foldConsumers()}), each on its own thread and partitions.
 */
public final class KafkaUsageFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaUsageFolder.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration KAFKA_COMMIT_EVERY = Duration.ofSeconds(1);
    private final KafkaSettings settings;
    private final UsageFold fold;
    private final KafkaConsumer<String, byte[]> consumer;
    private final IntakeMeters meters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int assigned;
    private long lastKafkaCommit = System.nanoTime();

    public KafkaUsageFolder(KafkaSettings settings, UsageFold fold, String consumerId) {
        this.settings = settings;
        this.fold = fold;
        this.consumer = new KafkaConsumer<>(Map.ofEntries(
                Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()),
                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, settings.group()),
                Map.entry(ConsumerConfig.CLIENT_ID_CONFIG, consumerId),
                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.foldRecords()),
                // the broker answers a fetch as soon as it has a byte (fetch.min.bytes 1), so this adds no lag: it is only how
                // long an idle consumer's fetch waits. 50 ms had six idle consumers send 120 fetches a second for nothing.
                Map.entry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1),
                Map.entry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500),
                // a member joining or leaving moves only the partitions that change hands: the others keep folding
                // (the eager default stops every consumer of every node until the whole group has joined again)
                Map.entry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                // a node that dies holds its partitions this long before the group gives them to another
                Map.entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.meters = new IntakeMeters(consumerId);
        this.thread = new Thread(this::run, "accrue-usage-fold-" + consumerId);
        this.thread.setDaemon(true);
    }

    public KafkaUsageFolder start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(settings.topic()), new SeekToFolded());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    foldOrRewind(records);
                }
                updateLag(records);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("The usage intake consumer was woken up unexpectedly; it stops", e);
            }
        } catch (RuntimeException e) {
            LOG.error("The usage intake consumer stopped; acknowledged usage waits in Kafka for another node or a restart", e);
        } finally {
            meters.close();
            consumer.close();
        }
    }

    private void foldOrRewind(ConsumerRecords<String, byte[]> records) {
        Map<Integer, Long> next = new TreeMap<>();
        List<UsageFold.Logged> logged = new ArrayList<>(records.count());
        long[] appendedAt = new long[records.count()];
        int i = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            next.merge(r.partition(), r.offset() + 1, Math::max);
            appendedAt[i++] = r.timestamp(); // the broker's append time (the topic's message.timestamp.type=LogAppendTime)
        }
        long started = System.nanoTime();
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                logged.add(LoggedEvents.read(r.value()));
            }
            int fresh = fold.fold(settings.topic(), logged, next);
            // wall-clock time, not the injected Clock: it is compared with the broker's append time, and a test clock
            // moved to next month must not read as a month of lag
            meters.folded(fresh, appendedAt, System.currentTimeMillis(), System.nanoTime() - started);
            commitToKafkaNowAndThen();
        } catch (RuntimeException e) {
            LOG.warn("Folding {} usage records failed; reading them again from the stored offsets in {}", records.count(), RETRY, e);
            seekToFolded(records.partitions().stream().map(TopicPartition::partition).toList());
            sleep(RETRY);
        }
    }

    /**
     * Kafka's committed offsets serve Kafka's tools only (where to read from is the database's word), so they are sent at
     * most once a second rather than after every fold: one round trip to the group coordinator less per fold.
     */
    private void commitToKafkaNowAndThen() {
        long now = System.nanoTime();
        if (now - lastKafkaCommit >= KAFKA_COMMIT_EVERY.toNanos()) {
            lastKafkaCommit = now;
            consumer.commitAsync();
        }
    }

    /** Events acknowledged and not folded in this consumer's partitions, and how long the oldest just folded had waited. */
    private void updateLag(ConsumerRecords<String, byte[]> records) {
        assigned = consumer.assignment().size();
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            var partitionLag = consumer.currentLag(tp);
            lag += partitionLag.isPresent() ? partitionLag.getAsLong() : 0;
        }
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> r : records) {
            oldest = Math.min(oldest, r.timestamp());
        }
        meters.lag(lag, oldest == Long.MAX_VALUE ? 0 : System.currentTimeMillis() - oldest);
    }

    private void seekToFolded(Collection<Integer> partitions) {
        Map<Integer, Long> stored = fold.folded(settings.topic(), partitions);
        for (int p : partitions) {
            TopicPartition tp = new TopicPartition(settings.topic(), p);
            Long offset = stored.get(p);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset);
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private final class SeekToFolded implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = consumer.assignment().size();
            if (!partitions.isEmpty()) {
                seekToFolded(partitions.stream().map(TopicPartition::partition).toList());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned = Math.max(0, consumer.assignment().size() - partitions.size());
            // nothing to hand over: every poll is folded (or rolled back) before the next one
        }
    }

    /** How many partitions of the topic this consumer folds now (0 before it joined the group). */
    public int partitions() {
        return assigned;
    }

    /** Asks the consumer to stop after the fold in progress, without waiting (several consumers then stop together). */
    public void stopSoon() {
        running = false;
        consumer.wakeup();
    }

    /** Stops after the fold in progress, leaving the group so its partitions move at once. */
    @Override
    public void close() {
        stopSoon();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
