package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code role_policies}: one inline policy of a role. */
@Entity
@Table(name = "role_policies")
@IdClass(InlinePolicyEntity.Key.class)
public class InlinePolicyEntity {
    @Id
    @Column(name = "role_id")
    public String roleId;
    @Id
    @Column(name = "policy_name")
    public String policyName;
    public String document;

    public InlinePolicyEntity() {
    }

    InlinePolicyEntity(String roleId, String policyName, String document) {
        this.roleId = roleId;
        this.policyName = policyName;
        this.document = document;
    }

    /** The primary key (role, policy name). */
    public static class Key implements Serializable {
        public String roleId;
        public String policyName;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(roleId, k.roleId) && Objects.equals(policyName, k.policyName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roleId, policyName);
        }
    }
}
