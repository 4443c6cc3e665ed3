package dev.sts.cluster;

import java.nio.file.Path;
import java.util.List;

/** The state of every component of one state directory. */
public record ClusterStatus(Path stateDir, List<ComponentStatus> components) {
    public boolean anyRunning() {
        return components.stream().anyMatch(ComponentStatus::running);
    }

    public boolean running(Component c) {
        return components.stream().anyMatch(s -> s.component() == c && s.running());
    }

    public List<Component> runningComponents() {
        return components.stream().filter(ComponentStatus::running).map(ComponentStatus::component).toList();
    }
}
