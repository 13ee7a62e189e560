package dev.accrue.adapters.kafka;

import java.util.Map;
import java.util.Optional;

/**
 * Kafka as the usage intake log: on when {@code ACCRUE_KAFKA_BOOTSTRAP} is set. {@code topic}
 * ({@code ACCRUE_KAFKA_TOPIC}, default {@code accrue-usage}) is created with {@code partitions}
 * ({@code ACCRUE_KAFKA_PARTITIONS}, default 12) and the broker's default replication when missing; {@code group}
 * ({@code ACCRUE_KAFKA_GROUP}, default {@code accrue-usage-fold}) is the consumer group of the nodes folding it.
 * Each serving node runs {@code foldConsumers} members of that group ({@code ACCRUE_KAFKA_FOLD_CONSUMERS}, default 3):
 * their folds run in parallel over their partitions, each in its own transaction, so one slow commit does not hold
 * every partition of the node behind it. A fold takes at most {@code foldRecords} records
 * ({@code ACCRUE_KAFKA_FOLD_RECORDS}, Kafka's {@code max.poll.records}, default 5,000).
 */
public record KafkaSettings(String bootstrap, String topic, int partitions, String group, int foldConsumers, int foldRecords) {
    public static final String DEFAULT_TOPIC = "accrue-usage";
    public static final String DEFAULT_GROUP = "accrue-usage-fold";
    public static final int DEFAULT_PARTITIONS = 12;
    public static final int DEFAULT_FOLD_CONSUMERS = 3;
    public static final int DEFAULT_FOLD_RECORDS = 5_000;
    /** Each consumer holds a database connection while it folds: beyond this the pool, not Kafka, is the limit. */
    static final int MAX_FOLD_CONSUMERS = 32;
    static final int MAX_FOLD_RECORDS = 100_000;

    public KafkaSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_BOOTSTRAP must list brokers as host:port[,host:port]");
        }
        if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_TOPIC must be 1-200 letters, digits, '.', '_' or '-', got " + topic);
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_PARTITIONS must be 1-10000, got " + partitions);
        }
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_GROUP must not be blank");
        }
        if (foldConsumers < 1 || foldConsumers > MAX_FOLD_CONSUMERS) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_FOLD_CONSUMERS must be 1-" + MAX_FOLD_CONSUMERS + ", got " + foldConsumers);
        }
        if (foldRecords < 1 || foldRecords > MAX_FOLD_RECORDS) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_FOLD_RECORDS must be 1-" + MAX_FOLD_RECORDS + ", got " + foldRecords);
        }
    }

    public KafkaSettings(String bootstrap, String topic, int partitions, String group) {
        this(bootstrap, topic, partitions, group, DEFAULT_FOLD_CONSUMERS, DEFAULT_FOLD_RECORDS);
    }

    public KafkaSettings(String bootstrap) {
        this(bootstrap, DEFAULT_TOPIC, DEFAULT_PARTITIONS, DEFAULT_GROUP);
    }

    /** The same with {@code consumers} fold consumers per node. */
    public KafkaSettings withFoldConsumers(int consumers) {
        return new KafkaSettings(bootstrap, topic, partitions, group, consumers, foldRecords);
    }

    /** Empty when ACCRUE_KAFKA_BOOTSTRAP is unset or blank: usage is then written to PostgreSQL directly. */
    public static Optional<KafkaSettings> fromEnvironment(Map<String, String> env) {
        String bootstrap = env.get("ACCRUE_KAFKA_BOOTSTRAP");
        if (bootstrap == null || bootstrap.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaSettings(bootstrap.strip(), env.getOrDefault("ACCRUE_KAFKA_TOPIC", DEFAULT_TOPIC),
                number(env, "ACCRUE_KAFKA_PARTITIONS", DEFAULT_PARTITIONS), env.getOrDefault("ACCRUE_KAFKA_GROUP", DEFAULT_GROUP),
                number(env, "ACCRUE_KAFKA_FOLD_CONSUMERS", DEFAULT_FOLD_CONSUMERS), number(env, "ACCRUE_KAFKA_FOLD_RECORDS", DEFAULT_FOLD_RECORDS)));
    }

    private static int number(Map<String, String> env, String name, int otherwise) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }
}
