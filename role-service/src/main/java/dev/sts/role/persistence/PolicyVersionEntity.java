package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A row of {@code policy_versions}: one version of a customer-managed policy. */
@Entity
@Table(name = "policy_versions")
@IdClass(PolicyVersionEntity.Key.class)
public class PolicyVersionEntity {
    @Id
    @Column(name = "policy_id")
    public String policyId;
    @Id
    public int version;
    public String document;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** The primary key (policy, version number). */
    public static class Key implements Serializable {
        public String policyId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(policyId, k.policyId) && version == k.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(policyId, version);
        }
    }
}
