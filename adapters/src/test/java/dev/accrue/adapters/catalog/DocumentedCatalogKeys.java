package dev.accrue.adapters.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys docs/catalog.md documents, read from the document itself so that a key added there needs a case in
 * {@link CatalogKeysHaveEffectTest}. A key is named {@code section.key}: the section is where its table stands
 * (a heading, or a bold line such as {@code **`type: metered`**}), the key every backticked name of a table row's
 * first column. Sub-keys a row's type column spells as {@code { a, b }} become {@code section.key.a}. The keys of
 * the overrides document are the top-level keys of its YAML example.
 */
final class DocumentedCatalogKeys {
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_]+)`");
    private static final Pattern BRACES = Pattern.compile("\\{([^}]*)}");
    private static final Pattern YAML_TOP_KEY = Pattern.compile("^([a-z_]+):");

    private DocumentedCatalogKeys() {
    }

    static Path document() {
        // Maven runs a module's tests from the module directory; an IDE may run them from the repository root.
        for (Path candidate : List.of(Path.of("../docs/catalog.md"), Path.of("docs/catalog.md"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/catalog.md not found from " + Path.of("").toAbsolutePath());
    }

    static Set<String> read() {
        try {
            return parse(Files.readAllLines(document()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> parse(List<String> lines) {
        Set<String> keys = new LinkedHashSet<>();
        String section = null;
        boolean inYaml = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inYaml = !inYaml && line.startsWith("```yaml");
                continue;
            }
            if (inYaml) {
                if ("overrides".equals(section)) {
                    Matcher m = YAML_TOP_KEY.matcher(line);
                    if (m.find()) {
                        keys.add(section + "." + m.group(1));
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                section = sectionOf(line.replaceFirst("^#+\\s*", "").trim());
                continue;
            }
            if (line.startsWith("**`type: ") && section != null && section.startsWith("charges")) {
                section = "charges." + line.substring("**`type: ".length(), line.indexOf('`', "**`type: ".length()));
                continue;
            }
            if (line.equals("**rental**")) {
                section = "add_ons.rental";
                continue;
            }
            if (section == null || !line.startsWith("|") || line.startsWith("|---") || line.startsWith("| key ")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length < 3) {
                continue;
            }
            List<String> rowKeys = backticked(cells[1]);
            List<String> subKeys = new ArrayList<>();
            Matcher braces = BRACES.matcher(cells[2]);
            while (braces.find()) {
                for (String part : braces.group(1).split(",")) {
                    String name = part.trim().replaceFirst(":.*", "").trim();
                    if (name.matches("[a-z_]+")) {
                        subKeys.add(name);
                    }
                }
            }
            for (String key : rowKeys) {
                keys.add(section + "." + key);
                for (String sub : subKeys) {
                    keys.add(section + "." + key + "." + sub);
                }
            }
        }
        return keys;
    }

    /** The section a heading opens; null for the parts of the document that do not list keys. */
    private static String sectionOf(String heading) {
        return switch (heading) {
            case "Top-level keys" -> "top";
            case "metrics", "rate_tables", "features", "products", "plans", "charges", "pricing", "add_ons" -> heading;
            case "Per-customer overrides (PlanOverrides)" -> "overrides";
            default -> null;
        };
    }

    private static List<String> backticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
