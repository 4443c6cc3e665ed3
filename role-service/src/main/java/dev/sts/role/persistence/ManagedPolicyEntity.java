package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code managed_policies}: a customer-managed policy. */
@Entity
@Table(name = "managed_policies")
public class ManagedPolicyEntity {
    @Id
    @Column(name = "policy_id")
    public String policyId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "policy_name")
    public String policyName;
    @Column(name = "policy_name_key")
    public String policyNameKey;
    public String path;
    public String arn;
    public String description;
    @Column(name = "default_version")
    public int defaultVersion;
    @Column(name = "next_version")
    public int nextVersion;
    public String tags;
    public long revision;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
