package dev.sts.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The project's Kafka topics and an idempotent way to create them. */
public final class Topics {
    public static final String ROLE_EVENTS = "sts.role-events.v1";
    public static final String SESSION_EVENTS = "sts.session-events.v1";
    public static final String REVOCATIONS = "sts.revocations.v1";

    /** Partitions of every topic the cluster creates (and of unknown topics created for tests). */
    public static final int PARTITIONS = 3;

    /** The topics of the local cluster with their topic-level configuration. */
    public static final Map<String, Map<String, String>> ALL = Map.of(
            ROLE_EVENTS, Map.of(),
            SESSION_EVENTS, Map.of(),
            REVOCATIONS, Map.of("cleanup.policy", "compact"));

    private Topics() {
    }

    /** The topic as the cluster creates it: 3 partitions, replication 1, known topic configs. */
    public static NewTopic newTopic(String name) {
        return new NewTopic(name, PARTITIONS, (short) 1).configs(ALL.getOrDefault(name, Map.of()));
    }

    public static Admin admin(String bootstrapServers, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sts-local-cluster-admin");
        return Admin.create(p);
    }

    /**
     * Creates the topics that do not exist yet; existing topics are left as they are.
     *
     * @return the topics that were created by this call
     */
    public static List<String> createMissing(Admin admin, Iterable<String> names, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<String> wanted = new LinkedHashSet<>();
        names.forEach(wanted::add);
        List<NewTopic> toCreate = new ArrayList<>();
        for (String name : wanted) {
            if (!existing.contains(name)) {
                toCreate.add(newTopic(name));
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
}
