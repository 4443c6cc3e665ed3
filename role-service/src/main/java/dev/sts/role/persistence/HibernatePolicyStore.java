package dev.sts.role.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.role.domain.ManagedPolicy;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.PolicyDetails;
import dev.sts.role.domain.PolicyStore;
import dev.sts.role.domain.PolicyUsage;
import dev.sts.role.domain.PolicyVersion;
import dev.sts.role.domain.PolicyWrite;
import dev.sts.role.domain.Role;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Customer-managed policies and their versions in PostgreSQL. A change locks the policy's row
 * ({@code FOR UPDATE}) before it reads versions and usage: role changes that start to use the
 * policy hold it {@code FOR SHARE} until they commit, so the counts a DeletePolicy decides on are
 * current, and changes of one policy are serialized.
 */
@ApplicationScoped
public class HibernatePolicyStore implements PolicyStore {
    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper json;
    private final InstantSource clock;

    public HibernatePolicyStore(Mutiny.SessionFactory sessions, ObjectMapper json, InstantSource clock) {
        this.sessions = sessions;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Uni<PolicyDetails> insert(PolicyDetails details, List<OutboxEvent> events) {
        ManagedPolicy p = details.policy();
        return sessions.withStatelessTransaction(session -> session
                        .createSelectionQuery("from ManagedPolicyEntity where accountId = :a and policyNameKey = :k",
                                ManagedPolicyEntity.class)
                        .setParameter("a", p.accountId()).setParameter("k", key(p.policyName()))
                        .getSingleResultOrNull()
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(alreadyExists(p.policyName()));
                            }
                            Uni<Void> chain = session.insert(toEntity(p));
                            for (PolicyVersion v : details.versions()) {
                                chain = chain.chain(() -> session.insert(toEntity(p.policyId(), v)));
                            }
                            return chain.chain(() -> Outbox.insert(session, events, p.createdAt()));
                        }))
                .onFailure(RoleStoreFailures::isUniqueViolation).transform(e -> alreadyExists(p.policyName()))
                .replaceWith(details);
    }

    @Override
    public Uni<Optional<PolicyDetails>> find(String accountId, String policyArn) {
        return sessions.withStatelessSession(session -> session
                .createSelectionQuery("from ManagedPolicyEntity where accountId = :a and arn = :arn", ManagedPolicyEntity.class)
                .setParameter("a", accountId).setParameter("arn", policyArn)
                .getSingleResultOrNull()
                .flatMap(row -> row == null ? Uni.createFrom().item(Optional.empty()) : details(session, row).map(Optional::of)));
    }

    @Override
    public Uni<List<PolicyDetails>> list(String accountId, String pathPrefix, boolean onlyAttached, String afterNameKey,
            String afterArn, int limit) {
        String hql = "from ManagedPolicyEntity p where p.accountId = :a and left(p.path, :n) = :prefix"
                + (afterNameKey == null ? "" : " and (p.policyNameKey > :name or (p.policyNameKey = :name and p.arn > :arn))")
                + (onlyAttached ? " and exists (from AttachedPolicyEntity x where x.policyArn = p.arn)" : "")
                + " order by p.policyNameKey, p.arn";
        return sessions.withStatelessSession(session -> {
            var query = session.createSelectionQuery(hql, ManagedPolicyEntity.class)
                    .setParameter("a", accountId).setParameter("n", pathPrefix.length()).setParameter("prefix", pathPrefix);
            if (afterNameKey != null) {
                query.setParameter("name", afterNameKey).setParameter("arn", afterArn);
            }
            return query.setMaxResults(limit).getResultList().flatMap(rows -> usage(session,
                    rows.stream().map(r -> r.arn).toList()).map(usage -> rows.stream().map(r -> {
                        PolicyUsage u = usage.getOrDefault(r.arn, PolicyUsage.NONE);
                        return new PolicyDetails(toDomain(r), List.of(), u.attachments(), u.boundaries(), false);
                    }).toList()));
        });
    }

    @Override
    public Uni<Map<String, PolicyUsage>> usage(Collection<String> policyArns) {
        return sessions.withStatelessSession(session -> usage(session, policyArns));
    }

    @Override
    public <T> Uni<T> update(String accountId, String policyArn, Function<Optional<PolicyDetails>, PolicyWrite<T>> change,
            Supplier<Uni<Void>> beforeWrite) {
        return sessions.withStatelessTransaction(session -> session
                .createSelectionQuery("from ManagedPolicyEntity where accountId = :a and arn = :arn", ManagedPolicyEntity.class)
                .setParameter("a", accountId).setParameter("arn", policyArn)
                .setLockMode(LockMode.PESSIMISTIC_WRITE)
                .getSingleResultOrNull()
                .flatMap(row -> row == null ? Uni.createFrom().item(Optional.<PolicyDetails>empty())
                        : details(session, row).map(Optional::of))
                .flatMap(found -> {
                    PolicyWrite<T> write = change.apply(found);
                    if (write.before() == null) {
                        return Uni.createFrom().item(write.result());
                    }
                    return beforeWrite.get().chain(() -> apply(session, write)).replaceWith(write.result());
                }));
    }

    private Uni<Void> apply(Mutiny.StatelessSession session, PolicyWrite<?> write) {
        ManagedPolicy before = write.before().policy();
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (write.after().isEmpty()) {
            // The versions go with it (ON DELETE CASCADE).
            return session.createMutationQuery("delete from ManagedPolicyEntity where policyId = :id")
                    .setParameter("id", before.policyId()).executeUpdate()
                    .chain(() -> Outbox.insert(session, write.events(), now));
        }
        PolicyDetails after = write.after().get();
        ManagedPolicy p = after.policy();
        Set<Integer> kept = after.versions().stream().map(PolicyVersion::number).collect(Collectors.toSet());
        Set<Integer> had = write.before().versions().stream().map(PolicyVersion::number).collect(Collectors.toSet());
        Uni<Void> chain = session.createMutationQuery("""
                        update ManagedPolicyEntity set defaultVersion = :default, nextVersion = :next,
                          revision = :revision, updatedAt = :updated
                        where policyId = :id""")
                .setParameter("default", p.defaultVersion()).setParameter("next", p.nextVersion())
                .setParameter("revision", p.revision())
                .setParameter("updated", Columns.utc(p.updatedAt()))
                .setParameter("id", p.policyId())
                .executeUpdate().replaceWithVoid();
        for (PolicyVersion v : write.before().versions()) {
            if (!kept.contains(v.number())) {
                chain = chain.chain(() -> session.delete(toEntity(p.policyId(), v)));
            }
        }
        for (PolicyVersion v : after.versions()) {
            if (!had.contains(v.number())) {
                chain = chain.chain(() -> session.insert(toEntity(p.policyId(), v)));
            }
        }
        return chain.chain(() -> Outbox.insert(session, write.events(), now));
    }

    private Uni<PolicyDetails> details(Mutiny.StatelessSession session, ManagedPolicyEntity row) {
        return session.createSelectionQuery("from PolicyVersionEntity where policyId = :id", PolicyVersionEntity.class)
                .setParameter("id", row.policyId).getResultList()
                .flatMap(versions -> usage(session, List.of(row.arn)).map(usage -> {
                    PolicyUsage u = usage.getOrDefault(row.arn, PolicyUsage.NONE);
                    return new PolicyDetails(toDomain(row), versions.stream()
                            .map(v -> new PolicyVersion(v.version, v.document, v.createdAt.toInstant())).toList(),
                            u.attachments(), u.boundaries(), false);
                }));
    }

    private static Uni<Map<String, PolicyUsage>> usage(Mutiny.StatelessSession session, Collection<String> arns) {
        if (arns.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return session.createSelectionQuery("""
                        select x.policyArn, count(x) from AttachedPolicyEntity x where x.policyArn in :arns
                        group by x.policyArn""", Object[].class)
                .setParameter("arns", arns).getResultList()
                .flatMap(attached -> session.createSelectionQuery("""
                                select r.permissionsBoundary, count(r) from RoleEntity r where r.permissionsBoundary in :arns
                                group by r.permissionsBoundary""", Object[].class)
                        .setParameter("arns", arns).getResultList()
                        .map(bounded -> {
                            Map<String, long[]> counts = new HashMap<>();
                            attached.forEach(r -> counts.computeIfAbsent((String) r[0], k -> new long[2])[0] = (Long) r[1]);
                            bounded.forEach(r -> counts.computeIfAbsent((String) r[0], k -> new long[2])[1] = (Long) r[1]);
                            Map<String, PolicyUsage> usage = new HashMap<>();
                            counts.forEach((arn, c) -> usage.put(arn, new PolicyUsage((int) c[0], (int) c[1])));
                            return usage;
                        }));
    }

    private static StsException alreadyExists(String name) {
        return new StsException(ErrorCode.ENTITY_ALREADY_EXISTS,
                "A policy called " + name + " already exists. Duplicate names are not allowed.", "policy_name");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private ManagedPolicyEntity toEntity(ManagedPolicy p) {
        ManagedPolicyEntity e = new ManagedPolicyEntity();
        e.policyId = p.policyId();
        e.accountId = p.accountId();
        e.policyName = p.policyName();
        e.policyNameKey = key(p.policyName());
        e.path = p.path();
        e.arn = p.arn();
        e.description = p.description();
        e.defaultVersion = p.defaultVersion();
        e.nextVersion = p.nextVersion();
        e.tags = Columns.tags(json, p.tags());
        e.revision = p.revision();
        e.createdAt = Columns.utc(p.createdAt());
        e.updatedAt = Columns.utc(p.updatedAt());
        return e;
    }

    private static PolicyVersionEntity toEntity(String policyId, PolicyVersion v) {
        PolicyVersionEntity e = new PolicyVersionEntity();
        e.policyId = policyId;
        e.version = v.number();
        e.document = v.document();
        e.createdAt = Columns.utc(v.createdAt());
        return e;
    }

    private ManagedPolicy toDomain(ManagedPolicyEntity e) {
        List<Role.Tag> tags = Columns.tags(json, e.tags, "policy " + e.policyId);
        return new ManagedPolicy(e.policyId, e.accountId, e.policyName, e.path, e.arn, e.description, e.defaultVersion,
                e.nextVersion, tags, e.revision, e.createdAt.toInstant(), e.updatedAt.toInstant());
    }
}
