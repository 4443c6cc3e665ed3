package dev.sts.role.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.PolicyReference;
import dev.sts.role.domain.Role;
import dev.sts.role.domain.RoleDetails;
import dev.sts.role.domain.RoleStore;
import dev.sts.role.domain.RoleWrite;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Roles in PostgreSQL, with stateless sessions: every statement is explicit. A change reads the
 * role, then writes with a compare-and-set on its revision ({@code UPDATE ... WHERE revision = ?})
 * before anything else: the statement either finds the revision it read, and holds the row until
 * commit, or finds none, and the change is retried on a fresh read. Inline and attached policies
 * are written only after that statement, so no change of them can be lost.
 */
@ApplicationScoped
public class HibernateRoleStore implements RoleStore {
    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper json;
    private final InstantSource clock;

    public HibernateRoleStore(Mutiny.SessionFactory sessions, ObjectMapper json, InstantSource clock) {
        this.sessions = sessions;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Uni<RoleDetails> insert(RoleDetails details, List<OutboxEvent> events, List<PolicyReference> references) {
        Role role = details.role();
        return sessions.withStatelessTransaction(session -> findRow(session, role.accountId(), role.roleName())
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(alreadyExists(role.roleName()));
                            }
                            return session.insert(toEntity(role))
                                    .chain(() -> lockPolicies(session, references))
                                    .chain(() -> Outbox.insert(session, events, role.createdAt()));
                        }))
                .onFailure(RoleStoreFailures::isUniqueViolation).transform(e -> alreadyExists(role.roleName()))
                .replaceWith(details);
    }

    @Override
    public Uni<Optional<Role>> findByName(String accountId, String roleName) {
        return sessions.withStatelessSession(session -> findRow(session, accountId, roleName)
                .map(e -> Optional.ofNullable(e).map(this::toDomain)));
    }

    @Override
    public Uni<Optional<RoleDetails>> findDetails(String accountId, String roleName) {
        return sessions.withStatelessSession(session -> details(session, accountId, roleName));
    }

    @Override
    public Uni<List<Role>> list(String accountId, String pathPrefix, String afterNameKey, int limit) {
        // left(path, n) = prefix rather than LIKE: a path may contain % and _.
        String hql = "from RoleEntity where accountId = :a and left(path, :n) = :prefix"
                + (afterNameKey == null ? "" : " and roleNameKey > :after") + " order by roleNameKey";
        return sessions.withStatelessSession(session -> {
            var query = session.createSelectionQuery(hql, RoleEntity.class)
                    .setParameter("a", accountId).setParameter("n", pathPrefix.length()).setParameter("prefix", pathPrefix);
            if (afterNameKey != null) {
                query.setParameter("after", afterNameKey);
            }
            return query.setMaxResults(limit).getResultList();
        }).map(rows -> rows.stream().map(this::toDomain).toList());
    }

    @Override
    public <T> Uni<T> update(String accountId, String roleName, Function<Optional<RoleDetails>, RoleWrite<T>> change,
            Supplier<Uni<Void>> beforeWrite) {
        return Retries.onConflict("role " + roleName, () -> sessions.withStatelessTransaction(session ->
                details(session, accountId, roleName).flatMap(found -> {
                    RoleWrite<T> write = change.apply(found);
                    if (!write.writes()) {
                        return Uni.createFrom().item(write.result());
                    }
                    return beforeWrite.get().chain(() -> apply(session, write)).replaceWith(write.result());
                })));
    }

    private Uni<Void> apply(Mutiny.StatelessSession session, RoleWrite<?> write) {
        RoleDetails before = write.before();
        Role old = before.role();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Uni<Integer> guarded;
        if (write.after().isEmpty()) {
            guarded = session.createMutationQuery("delete from RoleEntity where roleId = :id and revision = :rev")
                    .setParameter("id", old.roleId()).setParameter("rev", old.revision()).executeUpdate();
        } else {
            Role role = write.after().get().role();
            guarded = session.createMutationQuery("""
                            update RoleEntity set trustPolicy = :trust, description = :description,
                              maxSessionDuration = :maxSession, permissionsBoundary = :boundary, tags = :tags,
                              revision = :next, updatedAt = :now
                            where roleId = :id and revision = :rev""")
                    .setParameter("trust", role.trustPolicy()).setParameter("description", role.description())
                    .setParameter("maxSession", role.maxSessionDuration())
                    .setParameter("boundary", role.permissionsBoundary()).setParameter("tags", Columns.tags(json, role.tags()))
                    .setParameter("next", role.revision()).setParameter("now", Columns.utc(now))
                    .setParameter("id", old.roleId()).setParameter("rev", old.revision())
                    .executeUpdate();
        }
        return guarded.flatMap(rows -> {
            if (rows == 0) {
                return Uni.createFrom().failure(new Retries.Conflict());
            }
            RoleDetails after = write.after().orElse(null);
            return writeChildren(session, before, after, now)
                    .chain(() -> lockPolicies(session, write.references()))
                    .chain(() -> Outbox.insert(session, write.events(), now));
        });
    }

    /** Writes the difference in inline and attached policies; none is left for a deleted role. */
    private static Uni<Void> writeChildren(Mutiny.StatelessSession session, RoleDetails before, RoleDetails after,
            Instant at) {
        String roleId = before.role().roleId();
        Map<String, String> newInline = after == null ? Map.of() : after.inlinePolicies();
        Set<String> newAttached = after == null ? Set.of() : after.attachedPolicyArns();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var e : before.inlinePolicies().entrySet()) {
            if (!newInline.containsKey(e.getKey())) {
                chain = chain.chain(() -> session.delete(new InlinePolicyEntity(roleId, e.getKey(), e.getValue())));
            }
        }
        for (var e : newInline.entrySet()) {
            String old = before.inlinePolicies().get(e.getKey());
            InlinePolicyEntity row = new InlinePolicyEntity(roleId, e.getKey(), e.getValue());
            if (old == null) {
                chain = chain.chain(() -> session.insert(row));
            } else if (!old.equals(e.getValue())) {
                chain = chain.chain(() -> session.update(row));
            }
        }
        OffsetDateTime now = Columns.utc(at);
        for (String arn : before.attachedPolicyArns()) {
            if (!newAttached.contains(arn)) {
                chain = chain.chain(() -> session.delete(new AttachedPolicyEntity(roleId, arn, now)));
            }
        }
        for (String arn : newAttached) {
            if (!before.attachedPolicyArns().contains(arn)) {
                chain = chain.chain(() -> session.insert(new AttachedPolicyEntity(roleId, arn, now)));
            }
        }
        return chain;
    }

    /**
     * Locks each referenced customer-managed policy for the rest of the transaction ({@code FOR
     * SHARE}): DeletePolicy locks it exclusively before counting its uses, so it either waits for
     * this change and sees the new use, or deleted the policy first, and this change fails.
     */
    private static Uni<Void> lockPolicies(Mutiny.StatelessSession session, List<PolicyReference> references) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PolicyReference ref : references) {
            chain = chain.chain(() -> session
                    .createSelectionQuery("from ManagedPolicyEntity where arn = :arn", ManagedPolicyEntity.class)
                    .setParameter("arn", ref.arn())
                    .setLockMode(LockMode.PESSIMISTIC_READ)
                    .getSingleResultOrNull()
                    .flatMap(p -> p == null ? Uni.createFrom().failure(ref.ifMissing().get()) : Uni.createFrom().voidItem()));
        }
        return chain;
    }

    private Uni<Optional<RoleDetails>> details(Mutiny.StatelessSession session, String accountId, String roleName) {
        return findRow(session, accountId, roleName).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().item(Optional.<RoleDetails>empty());
            }
            return session.createSelectionQuery("from InlinePolicyEntity where roleId = :id", InlinePolicyEntity.class)
                    .setParameter("id", row.roleId).getResultList()
                    .flatMap(inline -> session
                            .createSelectionQuery("from AttachedPolicyEntity where roleId = :id", AttachedPolicyEntity.class)
                            .setParameter("id", row.roleId).getResultList()
                            .map(attached -> {
                                TreeMap<String, String> policies = new TreeMap<>();
                                inline.forEach(p -> policies.put(p.policyName, p.document));
                                TreeSet<String> arns = new TreeSet<>();
                                attached.forEach(a -> arns.add(a.policyArn));
                                return Optional.of(new RoleDetails(toDomain(row), policies, arns));
                            }));
        });
    }

    private static Uni<RoleEntity> findRow(Mutiny.StatelessSession session, String accountId, String roleName) {
        return session.createSelectionQuery("from RoleEntity where accountId = :a and roleNameKey = :k", RoleEntity.class)
                .setParameter("a", accountId).setParameter("k", key(roleName))
                .getSingleResultOrNull();
    }

    private static StsException alreadyExists(String name) {
        return new StsException(ErrorCode.ENTITY_ALREADY_EXISTS, "Role with name " + name + " already exists.", "role_name");
    }

    private static String key(String roleName) {
        return roleName.toLowerCase(Locale.ROOT);
    }

    private RoleEntity toEntity(Role r) {
        RoleEntity e = new RoleEntity();
        e.roleId = r.roleId();
        e.accountId = r.accountId();
        e.roleName = r.roleName();
        e.roleNameKey = key(r.roleName());
        e.path = r.path();
        e.arn = r.arn();
        e.trustPolicy = r.trustPolicy();
        e.description = r.description();
        e.maxSessionDuration = r.maxSessionDuration();
        e.permissionsBoundary = r.permissionsBoundary();
        e.tags = Columns.tags(json, r.tags());
        e.revision = r.revision();
        e.createdAt = Columns.utc(r.createdAt());
        e.updatedAt = e.createdAt;
        return e;
    }

    private Role toDomain(RoleEntity e) {
        List<Role.Tag> tags = Columns.tags(json, e.tags, "role " + e.roleId);
        return new Role(e.roleId, e.accountId, e.roleName, e.path, e.arn, e.trustPolicy, Objects.requireNonNullElse(
                e.description, ""), e.maxSessionDuration, e.permissionsBoundary, tags, e.revision, e.createdAt.toInstant());
    }
}
