package dev.accrue.adapters.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka mode's settings from the environment: defaults, the fold's consumers and records, and what is refused at boot. */
class KafkaSettingsTest {

    @Test
    void offWithoutBootstrapAndDefaultsOtherwise() {
        assertThat(KafkaSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(KafkaSettings.fromEnvironment(Map.of("ACCRUE_KAFKA_BOOTSTRAP", " "))).isEmpty();
        KafkaSettings s = KafkaSettings.fromEnvironment(Map.of("ACCRUE_KAFKA_BOOTSTRAP", " k1:9092,k2:9092 ")).orElseThrow();
        assertThat(s).isEqualTo(new KafkaSettings("k1:9092,k2:9092", "accrue-usage", 12, "accrue-usage-fold", 3, 5_000));
    }

    @Test
    void foldConsumersAndRecordsAreRead() {
        KafkaSettings s = KafkaSettings.fromEnvironment(Map.of("ACCRUE_KAFKA_BOOTSTRAP", "k:9092", "ACCRUE_KAFKA_FOLD_CONSUMERS", " 6 ",
                "ACCRUE_KAFKA_FOLD_RECORDS", "2000", "ACCRUE_KAFKA_PARTITIONS", "24")).orElseThrow();
        assertThat(s.foldConsumers()).isEqualTo(6);
        assertThat(s.foldRecords()).isEqualTo(2_000);
        assertThat(s.partitions()).isEqualTo(24);
        assertThat(s.withFoldConsumers(1).foldConsumers()).isEqualTo(1);
    }

    @Test
    void outOfRangeOrNonNumericValuesAreRefusedByName() {
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_CONSUMERS", "0")).hasMessageContaining("ACCRUE_KAFKA_FOLD_CONSUMERS must be 1-32, got 0");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_CONSUMERS", "33")).hasMessageContaining("ACCRUE_KAFKA_FOLD_CONSUMERS must be 1-32");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_CONSUMERS", "three")).hasMessage("ACCRUE_KAFKA_FOLD_CONSUMERS must be a number, got 'three'");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_RECORDS", "0")).hasMessageContaining("ACCRUE_KAFKA_FOLD_RECORDS must be 1-100000, got 0");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_RECORDS", "100001")).hasMessageContaining("ACCRUE_KAFKA_FOLD_RECORDS must be 1-100000");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_FOLD_RECORDS", "5e3")).hasMessage("ACCRUE_KAFKA_FOLD_RECORDS must be a number, got '5e3'");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_PARTITIONS", "0")).hasMessageContaining("ACCRUE_KAFKA_PARTITIONS must be 1-10000");
        assertThatThrownBy(() -> env("ACCRUE_KAFKA_TOPIC", "no spaces")).hasMessageContaining("ACCRUE_KAFKA_TOPIC");
        // the bounds themselves are accepted
        assertThat(env("ACCRUE_KAFKA_FOLD_CONSUMERS", "32").foldConsumers()).isEqualTo(32);
        assertThat(env("ACCRUE_KAFKA_FOLD_RECORDS", "1").foldRecords()).isEqualTo(1);
    }

    private static KafkaSettings env(String name, String value) {
        return KafkaSettings.fromEnvironment(Map.of("ACCRUE_KAFKA_BOOTSTRAP", "k:9092", name, value)).orElseThrow();
    }
}
