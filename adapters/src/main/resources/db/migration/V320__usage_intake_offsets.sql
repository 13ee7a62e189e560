-- Kafka mode (ACCRUE_KAFKA_BOOTSTRAP): how far each partition of the usage intake topic was folded into usage_events.
-- Written in the same transaction as the events it covers; consumers seek here on partition assignment, so Kafka's
-- own committed offsets never decide what is stored.
CREATE TABLE usage_intake_offsets (
    topic       text        NOT NULL,
    partition   integer     NOT NULL CHECK (partition >= 0),
    next_offset bigint      NOT NULL CHECK (next_offset >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
