package dev.sts.kit.revocation;

import dev.sts.kit.auth.RevocationCheck;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.events.CompactedTopicReader;
import dev.sts.kit.events.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every revocation in force, in memory in every service, from {@code sts.revocations.v1} (read
 * from the start by a {@link CompactedTopicReader}); the {@link RevocationCheck} the
 * {@code Authenticator} applies to every session token after verifying it (docs/adr/013).
 *
 * <p>Fail closed: until the view has read the topic to the end offsets it found at start, it does
 * not know every revocation, so every session is refused with {@code ServiceUnavailable} (the token
 * may well be valid: retry) and readiness {@code revocations} is DOWN. Once caught up it answers
 * from memory while the broker is away, like the permission view. Disabled
 * ({@code sts.revocations.enabled=false}), it refuses every session.
 */
@ApplicationScoped
public class RevocationView implements RevocationCheck {
    private static final Logger LOG = Logger.getLogger(RevocationView.class);
    /** The name of the view's consumer thread. */
    public static final String THREAD = "sts-revocation-view";
    /** What a revoked session hears: the same words as any other invalid token (AWS's InvalidClientTokenId). */
    public static final String REVOKED_MESSAGE = "the security token included in the request is invalid";

    private final RevocationRules rules = new RevocationRules();
    private final CompactedTopicReader reader;
    private final boolean enabled;
    private final InstantSource clock;

    @Inject
    public RevocationView(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            RevocationsConfig config, InstantSource clock) {
        this(() -> new KafkaConsumer<>(
                CompactedTopicReader.consumerProperties(bootstrapServers, "sts-revocation-view", config.requestTimeout()),
                new StringDeserializer(), new ByteArrayDeserializer()), config, clock);
    }

    /** For tests: any consumer. */
    RevocationView(Supplier<Consumer<String, byte[]>> consumers, RevocationsConfig config, InstantSource clock) {
        this.enabled = config.enabled();
        this.clock = clock;
        this.reader = new CompactedTopicReader(THREAD, Topics.REVOCATIONS, consumers, new CompactedTopicReader.Handler() {
            @Override
            public String apply(String key, byte[] value) {
                return rules.apply(key, value, clock.instant());
            }

            @Override
            public void afterPoll(Instant now) {
                rules.expire(now);
            }
        }, config.maxRecordBytes(), config.maxReconnectBackoff(), config.requestTimeout(), clock);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts reading (once); does nothing when disabled. */
    public void start() {
        if (enabled) {
            reader.start();
        }
    }

    @PreDestroy
    public void stop() {
        reader.stop();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether every revocation that was on the topic at start has been read. */
    public boolean caughtUp() {
        return enabled && reader.caughtUp();
    }

    /** The id of a revocation in force that covers the session, if any. */
    public Optional<String> revocationOf(SessionClaims session) {
        return rules.revocationOf(session);
    }

    @Override
    public void requireNotRevoked(SessionClaims session) {
        if (!enabled) {
            throw StsException.unavailable("session tokens cannot be accepted: this service does not read revocations", null);
        }
        if (!reader.caughtUp()) {
            throw StsException.unavailable("the security token cannot be checked for revocation yet, try again", null);
        }
        Optional<String> revocation = rules.revocationOf(session);
        if (revocation.isPresent()) {
            // The holder hears what any invalid token hears; the log names the session and the rule.
            LOG.debugf("refused revoked session %s (revocation %s)", session.sessionId(), revocation.get());
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, REVOKED_MESSAGE);
        }
    }

    /** Revocations in force now. */
    public int rulesInForce() {
        return rules.size();
    }

    public CompactedTopicReader.Stats stats() {
        return reader.stats();
    }
}
