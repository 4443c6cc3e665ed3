package dev.sts.role.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.grpc.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The role use cases: authorize the caller, validate, persist with the change event. */
@ApplicationScoped
public class RoleManager {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final RoleStore store;
    private final Authorizer authorizer;
    private final RoleChangeEvents events;
    private final StsConfig config;
    private final InstantSource clock;

    public RoleManager(RoleStore store, RoleChangeEvents events, Authorizer authorizer, StsConfig config,
            InstantSource clock) {
        this.store = store;
        this.events = events;
        this.authorizer = authorizer;
        this.config = config;
        this.clock = clock;
    }

    public record CreateRole(String roleName, String path, String trustPolicy, String description,
            int maxSessionDuration, String permissionsBoundary, List<Role.Tag> tags) {
    }

    public Uni<Role> create(CallerIdentity caller, RequestContext request, CreateRole cmd) {
        RoleValidation.roleName(cmd.roleName());
        String path = RoleValidation.path(cmd.path());
        String arn = Arns.role(config.partition(), config.accountId(), path, cmd.roleName());
        authorizer.require(caller, "iam:CreateRole", arn);
        RoleValidation.trustPolicy(cmd.trustPolicy(), "assume_role_policy_document");
        RoleValidation.description(cmd.description());
        int maxSession = RoleValidation.maxSessionDuration(cmd.maxSessionDuration());
        RoleValidation.tags(cmd.tags());
        if (cmd.permissionsBoundary() != null && !cmd.permissionsBoundary().isEmpty()) {
            throw new StsException(ErrorCode.NOT_IMPLEMENTED, "permissions boundaries are not supported yet", "permissions_boundary");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Role role = new Role(newId("AROA"), config.accountId(), cmd.roleName(), path, arn, cmd.trustPolicy(),
                cmd.description() == null ? "" : cmd.description(), maxSession, null, cmd.tags(), 1, now);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("roleName", role.roleName());
        params.put("path", path);
        params.put("assumeRolePolicyDocument", role.trustPolicy());
        params.put("description", role.description());
        params.put("maxSessionDuration", Integer.toString(maxSession));
        OutboxEvent event = events.roleChanged("CreateRole", arn, role.roleId(), role.revision(), caller, request,
                now, params);
        // Checked last, so that bad input and denials keep their own answers during an outage.
        return events.requireRecordable().chain(() -> store.insert(role, event));
    }

    public Uni<Role> get(CallerIdentity caller, String roleName) {
        RoleValidation.roleName(roleName);
        return store.findByName(config.accountId(), roleName).map(found -> {
            // Authorize on the stored role's ARN, path included, as IAM does; a missing role is
            // authorized on the ARN its name implies, so only permitted callers learn it is missing.
            String arn = found.map(Role::arn).orElse(Arns.role(config.partition(), config.accountId(), "/", roleName));
            authorizer.require(caller, "iam:GetRole", arn);
            return found.orElseThrow(() -> new StsException(ErrorCode.NO_SUCH_ENTITY,
                    "The role with name " + roleName + " cannot be found.", "role_name"));
        });
    }

    private String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            sb.append(BASE32[random.nextInt(32)]);
        }
        return sb.toString();
    }
}
