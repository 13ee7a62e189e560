package dev.accrue.adapters.catalog;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where a document path ({@code plans[0].charges[1].metric}) sits in the YAML source, so every problem,
 * including those found after parsing, can point at a line and column. Jackson's own locations for record
 * properties are where it stopped reading, not where the offending key is.
 */
final class YamlLocator {
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");
    private final Node root;

    private YamlLocator(Node root) {
        this.root = root;
    }

    static YamlLocator of(String yaml) {
        try {
            return new YamlLocator(new Yaml(new LoaderOptions()).compose(new StringReader(yaml)));
        } catch (RuntimeException e) {
            return new YamlLocator(null);
        }
    }

    /** 1-based line and column of the deepest node on the path that exists, or null when none does. */
    int[] locate(String path) {
        if (root == null || path == null) {
            return null;
        }
        Node node = root;
        Mark mark = null;
        for (String step : steps(path)) {
            Node next = null;
            Mark here = null;
            if (node instanceof MappingNode map && !Character.isDigit(step.charAt(0))) {
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(step)) {
                        next = t.getValueNode();
                        here = key.getStartMark();
                    }
                }
            } else if (node instanceof SequenceNode seq && Character.isDigit(step.charAt(0))) {
                int i = Integer.parseInt(step);
                if (i < seq.getValue().size()) {
                    next = seq.getValue().get(i);
                    here = next.getStartMark();
                }
            }
            if (next == null) {
                break;
            }
            node = next;
            mark = here;
        }
        return mark == null ? null : new int[] {mark.getLine() + 1, mark.getColumn() + 1};
    }

    private static List<String> steps(String path) {
        List<String> out = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }
}
