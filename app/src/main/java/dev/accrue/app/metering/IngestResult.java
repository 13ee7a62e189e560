package dev.accrue.app.metering;

import java.util.List;

public record IngestResult(int accepted, int duplicates, int rejected, List<EventResult> results) {
}
