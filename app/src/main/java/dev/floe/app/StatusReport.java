package dev.floe.app;

import java.util.List;

/**
 * The answer of {@code /status} and {@code floe status --json}.
 *
 * @param source where it comes from: {@code running instance} (live fields filled) or {@code tables
 *     and brokers}
 */
record StatusReport(String source, List<TableStatus> tables) {}
