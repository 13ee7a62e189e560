package dev.accrue.adapters.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader of docs/catalog.md finds keys where the document puts them, and nothing else. */
class DocumentedCatalogKeysTest {

    @Test
    void readsTableKeysTheirBracedSubKeysAndTheOverridesExample() {
        List<String> doc = List.of(
                "# Catalog format reference",
                "| key | type | default | meaning |",
                "| `ignored` | before any section | | |",
                "## plans",
                "| key | type | default | meaning |",
                "|---|---|---|---|",
                "| `lock_in` | `{ months: 1–120 }` | none | Minimum term, see `code`. |",
                "| `code`, `name` | | required | |",
                "### charges",
                "**`type: metered`**: usage.",
                "| `overage` | `{ policy, cap }` | `{ policy: charge }` | \\| piped text |",
                "## add_ons",
                "**rental**",
                "| `quota` | quota feature code | — | |",
                "## Validation problem codes",
                "| `syntax_error` | The YAML cannot be parsed. | example |",
                "## Per-customer overrides (PlanOverrides)",
                "```yaml",
                "prices:            # comment",
                "  base: { USD: \"1500.00\" }",
                "```",
                "## Annotated examples, one per seed vendor",
                "```yaml",
                "plans:",
                "```");
        assertThat(DocumentedCatalogKeys.parse(doc)).containsExactly("plans.lock_in", "plans.lock_in.months", "plans.code", "plans.name",
                "charges.metered.overage", "charges.metered.overage.policy", "charges.metered.overage.cap", "add_ons.rental.quota",
                "overrides.prices");
    }
}
