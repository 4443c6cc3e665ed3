package dev.sts.kit.events;

import dev.sts.kit.events.Topics.Replication;
import dev.sts.kit.events.Topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics exactly as {@link Topics} specifies them, with an explicit replication factor and
 * {@code min.insync.replicas}: for the tools that set up a cluster (the local cluster, the test
 * infrastructure). Services do not call {@link #createMissing}: they find out what is missing with
 * {@link #missing} and report it, so that no topic is ever created with broker defaults behind the
 * operator's back.
 *
 * <p>Uses only kafka-clients and the JDK, so the local cluster can use it without the rest of the
 * kit's dependencies.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** The topic to create for this spec on a cluster of this replication. */
    public static NewTopic newTopic(TopicSpec spec, Replication replication) {
        return new NewTopic(spec.name(), spec.partitions(), replication.factor()).configs(spec.configs(replication));
    }

    /**
     * Creates the topics that do not exist yet; existing topics are left as they are (a concurrent
     * creation by someone else counts as existing).
     *
     * @return the names of the topics this call created
     */
    public static List<String> createMissing(Admin admin, Collection<TopicSpec> specs, Replication replication,
            Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name()) && toCreate.stream().noneMatch(t -> t.name().equals(spec.name()))) {
                toCreate.add(newTopic(spec, replication));
            }
        }
        List<String> created = new ArrayList<>();
        if (toCreate.isEmpty()) {
            return created;
        }
        var result = admin.createTopics(toCreate);
        for (NewTopic t : toCreate) {
            try {
                result.values().get(t.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(t.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** The names among {@code wanted} that the cluster does not have, in the given order. */
    public static List<String> missing(Admin admin, Collection<String> wanted, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return wanted.stream().filter(n -> !existing.contains(n)).toList();
    }
}
