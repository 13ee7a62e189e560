package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.InvalidCatalogException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Every shipped demo catalog parses and validates with no problem at all. */
class DemoCatalogsTest {

    static String resource(String file) throws IOException {
        try (InputStream in = DemoCatalogsTest.class.getResourceAsStream("/demo/catalogs/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"numero-crm.yaml", "numero-crm-v2.yaml", "voiceagent.yaml", "ai-employees.yaml", "usercom.yaml", "callr.yaml"})
    void loadsWithoutProblems(String file) throws IOException {
        try {
            Catalog catalog = CatalogYaml.read(file, resource(file));
            assertThat(catalog.plans()).isNotEmpty();
            assertThat(catalog.version()).isPositive();
        } catch (InvalidCatalogException e) {
            fail(String.join("\n", e.problems().stream().map(Object::toString).toList()));
        }
    }
}
