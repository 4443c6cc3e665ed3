package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A row of {@code role_attached_policies}: a managed policy (customer- or AWS-managed) attached to a role. */
@Entity
@Table(name = "role_attached_policies")
@IdClass(AttachedPolicyEntity.Key.class)
public class AttachedPolicyEntity {
    @Id
    @Column(name = "role_id")
    public String roleId;
    @Id
    @Column(name = "policy_arn")
    public String policyArn;
    @Column(name = "attached_at")
    public OffsetDateTime attachedAt;

    public AttachedPolicyEntity() {
    }

    AttachedPolicyEntity(String roleId, String policyArn, OffsetDateTime attachedAt) {
        this.roleId = roleId;
        this.policyArn = policyArn;
        this.attachedAt = attachedAt;
    }

    /** The primary key (role, policy ARN). */
    public static class Key implements Serializable {
        public String roleId;
        public String policyArn;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(roleId, k.roleId) && Objects.equals(policyArn, k.policyArn);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roleId, policyArn);
        }
    }
}
