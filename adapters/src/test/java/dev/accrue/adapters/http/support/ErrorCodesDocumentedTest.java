package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error code the server can answer is listed in the OpenAPI document and explained in docs/api.md. */
class ErrorCodesDocumentedTest {

    @Test
    void everyCodeIsInTheOpenApiDocumentAndInTheApiGuide() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(SystemRoutes.openApiYaml());
        List<String> listed = new ArrayList<>();
        doc.at("/components/schemas/Problem/properties/code/enum").forEach(n -> listed.add(n.asText()));
        List<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(codes);
        String guide = Files.readString(Path.of("..", "docs", "api.md"));
        assertThat(codes).allSatisfy(code -> assertThat(guide).as(code).contains("`" + code + "`"));
    }
}
