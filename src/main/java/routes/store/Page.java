package routes.store;

import java.util.List;

/** One page of a query; {@code next} is an opaque cursor for the following page, or null at the end. */
public record Page<T>(List<T> items, String next) {}
