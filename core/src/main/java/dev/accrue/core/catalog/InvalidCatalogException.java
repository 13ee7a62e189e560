package dev.accrue.core.catalog;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.List;

/** A catalog document with problems; carries all of them so the operator sees every one at once. */
public final class InvalidCatalogException extends AccrueException {
    private final List<CatalogProblem> problems;

    public InvalidCatalogException(List<CatalogProblem> problems) {
        super(ErrorCode.INVALID_CATALOG, null, summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<CatalogProblem> problems() {
        return problems;
    }

    private static String summary(List<CatalogProblem> problems) {
        String first = problems.isEmpty() ? "" : ": " + problems.getFirst();
        return "The catalog has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + first;
    }
}
