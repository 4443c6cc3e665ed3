package dev.sts.cluster;

/** The state of one component. {@code pid} is -1 when it is not running. */
public record ComponentStatus(Component component, boolean running, long pid, String health, String endpoint) {
}
