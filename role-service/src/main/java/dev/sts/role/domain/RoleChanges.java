package dev.sts.role.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape every call on an existing role has: authorize on the role's ARN before revealing
 * anything, answer {@code NoSuchEntity} for a missing role, and for a change: apply it to the role
 * as read, raise the revision, and store it with its {@code RoleChanged} event and the role's new
 * state (or a tombstone) in one transaction, guarded by the revision read. Refusals are audited.
 */
@ApplicationScoped
public class RoleChanges {
    private final RoleStore store;
    private final RoleChangeEvents events;
    private final Access access;
    private final StsConfig config;
    private final InstantSource clock;

    public RoleChanges(RoleStore store, RoleChangeEvents events, Access access, StsConfig config, InstantSource clock) {
        this.store = store;
        this.events = events;
        this.access = access;
        this.config = config;
        this.clock = clock;
    }

    /** What a change does to the role as read: a new state, its deletion, or nothing. */
    public record Outcome(RoleDetails after, boolean delete, List<PolicyReference> references) {
        public static Outcome changed(RoleDetails after) {
            return new Outcome(after, false, List.of());
        }

        /** A change that starts to use a customer-managed policy (attached, or as boundary). */
        public static Outcome changed(RoleDetails after, PolicyReference reference) {
            return new Outcome(after, false, reference == null ? List.of() : List.of(reference));
        }

        public static Outcome deleted() {
            return new Outcome(null, true, List.of());
        }

        public static Outcome unchanged() {
            return new Outcome(null, false, List.of());
        }
    }

    /** A change of a role; {@link #apply} may run more than once (the store retries on conflicts) and must be pure. */
    @FunctionalInterface
    public interface Change {
        Outcome apply(RoleDetails before);
    }

    /**
     * Applies a change to the role and answers the role afterwards (as it was when nothing
     * changed; null when it was deleted).
     *
     * @param action the IAM action authorized on the role's ARN, e.g. "iam:PutRolePolicy"
     * @param parameters the request parameters for the audit event, already bounded
     */
    public Uni<RoleDetails> change(Call call, String eventName, String action, String roleName,
            Map<String, ?> parameters, Change change) {
        RoleValidation.roleName(roleName);
        return access.audited(call, eventName, parameters, () -> store.update(config.accountId(), roleName, found -> {
            RoleDetails before = authorized(call, action, roleName, found);
            Outcome outcome = change.apply(before);
            if (outcome.after() == null && !outcome.delete()) {
                return RoleWrite.nothing(before);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Role role = before.role();
            List<OutboxEvent> written = new ArrayList<>();
            if (outcome.delete()) {
                written.add(events.roleChanged(eventName, role.arn(), role.roleId(), 0, call.caller(), call.request(),
                        now, parameters));
                written.add(events.deleted(role.arn()));
                return new RoleWrite<>(before, Optional.empty(), written, List.of(), null);
            }
            RoleDetails after = outcome.after().withRole(outcome.after().role().withRevision(role.revision() + 1));
            written.add(events.roleChanged(eventName, role.arn(), role.roleId(), after.role().revision(), call.caller(),
                    call.request(), now, parameters));
            written.add(events.roleState(after, now));
            return new RoleWrite<>(before, Optional.of(after), written, outcome.references(), after);
        }, events::requireRecordable));
    }

    /** Reads a role with its policies for a caller allowed {@code action} on it. */
    public Uni<RoleDetails> read(Call call, String eventName, String action, String roleName, Map<String, ?> parameters) {
        RoleValidation.roleName(roleName);
        return access.audited(call, eventName, parameters, () -> store.findDetails(config.accountId(), roleName)
                .map(found -> authorized(call, action, roleName, found)));
    }

    /**
     * Authorizes on the stored role's ARN, path included, as IAM does; a missing role is
     * authorized on the ARN its name implies, so only permitted callers learn it is missing.
     */
    RoleDetails authorized(Call call, String action, String roleName, Optional<RoleDetails> found) {
        String arn = found.map(d -> d.role().arn()).orElseGet(() -> impliedArn(roleName));
        access.require(call, action, arn);
        return found.orElseThrow(() -> noSuchRole(roleName));
    }

    String impliedArn(String roleName) {
        return Arns.role(config.partition(), config.accountId(), "/", roleName);
    }

    static StsException noSuchRole(String roleName) {
        return new StsException(ErrorCode.NO_SUCH_ENTITY, "The role with name " + roleName + " cannot be found.",
                "role_name");
    }
}
