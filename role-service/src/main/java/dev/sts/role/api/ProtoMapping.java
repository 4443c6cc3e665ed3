package dev.sts.role.api;

import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AttachedPermissionsBoundary;
import dev.sts.proto.v1.AttachedPolicy;
import dev.sts.proto.v1.ManagedPolicy;
import dev.sts.proto.v1.PolicyScope;
import dev.sts.proto.v1.PolicyVersion;
import dev.sts.proto.v1.Tag;
import dev.sts.role.domain.PolicyDetails;
import dev.sts.role.domain.PolicyManager;
import dev.sts.role.domain.Role;
import dev.sts.role.domain.RolePolicyManager;
import java.util.List;

/** Domain values to and from {@code sts.v1} messages. */
final class ProtoMapping {
    private ProtoMapping() {
    }

    static List<Role.Tag> tags(List<Tag> tags) {
        return tags.stream().map(t -> new Role.Tag(t.getKey(), t.getValue())).toList();
    }

    static dev.sts.proto.v1.Role role(Role r) {
        dev.sts.proto.v1.Role.Builder b = dev.sts.proto.v1.Role.newBuilder()
                .setRoleName(r.roleName())
                .setRoleId(r.roleId())
                .setArn(r.arn())
                .setPath(r.path())
                .setCreateDate(Timestamps.of(r.createdAt()))
                .setAssumeRolePolicyDocument(r.trustPolicy())
                .setDescription(r.description())
                .setMaxSessionDuration(r.maxSessionDuration())
                .setRevision(r.revision());
        if (r.permissionsBoundary() != null) {
            b.setPermissionsBoundary(AttachedPermissionsBoundary.newBuilder()
                    .setPermissionsBoundaryType("Policy").setPermissionsBoundaryArn(r.permissionsBoundary()));
        }
        r.tags().forEach(t -> b.addTags(Tag.newBuilder().setKey(t.key()).setValue(t.value())));
        return b.build();
    }

    static ManagedPolicy policy(PolicyDetails d) {
        var p = d.policy();
        ManagedPolicy.Builder b = ManagedPolicy.newBuilder()
                .setPolicyName(p.policyName())
                .setPolicyId(p.policyId())
                .setArn(p.arn())
                .setPath(p.path())
                .setDefaultVersionId(p.defaultVersionId())
                .setAttachmentCount(d.attachmentCount())
                .setPermissionsBoundaryUsageCount(d.boundaryUsageCount())
                .setIsAttachable(true)
                .setDescription(p.description())
                .setCreateDate(Timestamps.of(p.createdAt()))
                .setUpdateDate(Timestamps.of(p.updatedAt()));
        p.tags().forEach(t -> b.addTags(Tag.newBuilder().setKey(t.key()).setValue(t.value())));
        return b.build();
    }

    /** A version; its document only where the RPC returns documents (GetPolicyVersion). */
    static PolicyVersion version(dev.sts.role.domain.PolicyVersion v, int defaultVersion, boolean withDocument) {
        PolicyVersion.Builder b = PolicyVersion.newBuilder()
                .setVersionId(v.versionId())
                .setIsDefaultVersion(v.number() == defaultVersion)
                .setCreateDate(Timestamps.of(v.createdAt()));
        if (withDocument) {
            b.setDocument(v.document());
        }
        return b.build();
    }

    static AttachedPolicy attached(RolePolicyManager.Attached a) {
        return AttachedPolicy.newBuilder().setPolicyName(a.policyName()).setPolicyArn(a.policyArn()).build();
    }

    static PolicyManager.Scope scope(PolicyScope scope) {
        return switch (scope) {
            case POLICY_SCOPE_UNSPECIFIED, POLICY_SCOPE_ALL -> PolicyManager.Scope.ALL;
            case POLICY_SCOPE_AWS -> PolicyManager.Scope.AWS;
            case POLICY_SCOPE_LOCAL -> PolicyManager.Scope.LOCAL;
            case UNRECOGNIZED -> throw dev.sts.kit.error.StsException.invalid("scope", "scope must be All, AWS or Local");
        };
    }
}
