package dev.accrue.adapters.kafka;

import java.util.Map;
import java.util.Optional;

/**
 * Kafka as the usage intake log: on when {@code ACCRUE_KAFKA_BOOTSTRAP} is set. {@code topic}
 * ({@code ACCRUE_KAFKA_TOPIC}, default {@code accrue-usage}) is created with {@code partitions}
 * ({@code ACCRUE_KAFKA_PARTITIONS}, default 12) and the broker's default replication when missing; {@code group}
 * ({@code ACCRUE_KAFKA_GROUP}, default {@code accrue-usage-fold}) is the consumer group of the nodes folding it.
 */
public record KafkaSettings(String bootstrap, String topic, int partitions, String group) {
    public static final String DEFAULT_TOPIC = "accrue-usage";
    public static final String DEFAULT_GROUP = "accrue-usage-fold";
    public static final int DEFAULT_PARTITIONS = 12;

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
    }

    public KafkaSettings(String bootstrap) {
        this(bootstrap, DEFAULT_TOPIC, DEFAULT_PARTITIONS, DEFAULT_GROUP);
    }

    /** Empty when ACCRUE_KAFKA_BOOTSTRAP is unset or blank: usage is then written to PostgreSQL directly. */
    public static Optional<KafkaSettings> fromEnvironment(Map<String, String> env) {
        String bootstrap = env.get("ACCRUE_KAFKA_BOOTSTRAP");
        if (bootstrap == null || bootstrap.isBlank()) {
            return Optional.empty();
        }
        String partitions = env.getOrDefault("ACCRUE_KAFKA_PARTITIONS", Integer.toString(DEFAULT_PARTITIONS));
        try {
            return Optional.of(new KafkaSettings(bootstrap.strip(), env.getOrDefault("ACCRUE_KAFKA_TOPIC", DEFAULT_TOPIC),
                    Integer.parseInt(partitions.strip()), env.getOrDefault("ACCRUE_KAFKA_GROUP", DEFAULT_GROUP)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ACCRUE_KAFKA_PARTITIONS must be a number, got '" + partitions + "'");
        }
    }
}
