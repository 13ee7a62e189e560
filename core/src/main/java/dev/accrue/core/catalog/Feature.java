package dev.accrue.core.catalog;

/**
 * Something a plan grants. BOOLEAN features are on or off (boosted_queuing); LIMIT features cap a rate or
 * size (concurrent_calls, storage_gb); QUOTA features cap a count of active items (ai_employees,
 * phone_numbers) whose creation is refused beyond the plan's value.
 */
public record Feature(String code, String name, FeatureType type, String unit) {
}
