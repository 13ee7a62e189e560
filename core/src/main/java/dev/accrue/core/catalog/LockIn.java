package dev.accrue.core.catalog;

/**
 * A minimum term: for {@code months} from the subscription start, downgrades and cancellations are refused
 * (with the date from which they are allowed).
 */
public record LockIn(int months) {
}
