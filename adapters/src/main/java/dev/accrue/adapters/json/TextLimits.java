package dev.accrue.adapters.json;

import com.fasterxml.jackson.core.JsonStreamContext;

import java.util.HashMap;
import java.util.Map;

/**
 * How long each string of a document may be, by its place in the document (a tree shaped like the request
 * schema: properties, array items, additional properties). A place the tree does not know (a field the
 * endpoint will refuse anyway, a catalog document) gets {@link #DEFAULT_MAX}; a property name at most
 * {@link #NAME_MAX}.
 */
public final class TextLimits {
    public static final int DEFAULT_MAX = 1000;
    public static final int NAME_MAX = 200;
    /** Only the defaults: for documents without a schema (catalogs) and undocumented routes. */
    public static final TextLimits DEFAULT = new TextLimits(new Node());

    private final Node root;

    public TextLimits(Node root) {
        this.root = root;
    }

    public Node root() {
        return root;
    }

    /** The longest string allowed for the name (when {@code name}) or value at the parser's current place. */
    public int maxLength(JsonStreamContext ctx, boolean name) {
        if (name) {
            return NAME_MAX;
        }
        Node node = nodeAt(ctx);
        return node == null || node.maxLength < 0 ? DEFAULT_MAX : node.maxLength;
    }

    /**
     * The schema's place for the parser's, walked from the root down (recursively: a deque of the chain was allocated
     * for every string value of every body); null when the schema has no such place.
     */
    private Node nodeAt(JsonStreamContext c) {
        if (c == null || c.inRoot()) {
            return root;
        }
        Node parent = nodeAt(c.getParent());
        if (parent == null) {
            return null;
        }
        return c.inArray() ? parent.items : parent.child(c.getCurrentName());
    }

    /** One place of the schema: its own maxLength (-1 when it declares none) and the places below it. */
    public static final class Node {
        public int maxLength = -1;
        public final Map<String, Node> properties = new HashMap<>();
        public Node items;
        public Node additional;

        Node child(String name) {
            Node n = name == null ? null : properties.get(name);
            return n != null ? n : additional;
        }

        /** Folds in another schema of the same place (allOf/oneOf/anyOf): the more permissive bound wins. */
        public void merge(Node other) {
            if (other.maxLength >= 0) {
                maxLength = maxLength < 0 ? other.maxLength : Math.max(maxLength, other.maxLength);
            }
            other.properties.forEach((k, v) -> properties.merge(k, v, (a, b) -> {
                a.merge(b);
                return a;
            }));
            if (other.items != null) {
                if (items == null) {
                    items = other.items;
                } else {
                    items.merge(other.items);
                }
            }
            if (other.additional != null) {
                if (additional == null) {
                    additional = other.additional;
                } else {
                    additional.merge(other.additional);
                }
            }
        }
    }
}
