package dev.sts.role.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.Role;
import dev.sts.role.domain.RoleStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

@ApplicationScoped
public class HibernateRoleStore implements RoleStore {
    private static final TypeReference<List<Role.Tag>> TAGS = new TypeReference<>() {
    };
    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper json;

    public HibernateRoleStore(Mutiny.SessionFactory sessions, ObjectMapper json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Override
    public Uni<Role> insert(Role role, OutboxEvent event) {
        RoleEntity entity = toEntity(role);
        OutboxEntity outbox = new OutboxEntity();
        outbox.eventId = event.eventId();
        outbox.topic = event.topic();
        outbox.recordKey = event.key();
        outbox.payload = event.payload();
        outbox.createdAt = entity.createdAt;
        return sessions.withTransaction((session, tx) -> session
                        .createSelectionQuery("from RoleEntity where accountId = :a and roleNameKey = :k", RoleEntity.class)
                        .setParameter("a", role.accountId()).setParameter("k", key(role.roleName()))
                        .getSingleResultOrNull()
                        .flatMap(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().failure(alreadyExists(role.roleName()));
                            }
                            return session.persist(entity).chain(() -> session.persist(outbox)).chain(session::flush);
                        }))
                .onFailure(RoleStoreFailures::isUniqueViolation).transform(e -> alreadyExists(role.roleName()))
                .replaceWith(role);
    }

    @Override
    public Uni<Optional<Role>> findByName(String accountId, String roleName) {
        return sessions.withSession(session -> session
                .createSelectionQuery("from RoleEntity where accountId = :a and roleNameKey = :k", RoleEntity.class)
                .setParameter("a", accountId).setParameter("k", key(roleName))
                .getSingleResultOrNull()
                .map(e -> Optional.ofNullable(e).map(this::toDomain)));
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
        try {
            e.tags = json.writeValueAsString(r.tags());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        e.revision = r.revision();
        e.createdAt = OffsetDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC);
        e.updatedAt = e.createdAt;
        return e;
    }

    private Role toDomain(RoleEntity e) {
        List<Role.Tag> tags;
        try {
            tags = json.readValue(e.tags, TAGS);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("corrupt tags of role " + e.roleId, ex);
        }
        Instant created = e.createdAt.toInstant();
        return new Role(e.roleId, e.accountId, e.roleName, e.path, e.arn, e.trustPolicy, e.description,
                e.maxSessionDuration, e.permissionsBoundary, tags, e.revision, created);
    }
}
