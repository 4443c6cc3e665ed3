package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code roles}. Mutable for Hibernate only; the domain works with {@code Role} records. */
@Entity
@Table(name = "roles")
public class RoleEntity {
    @Id
    @Column(name = "role_id")
    public String roleId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "role_name")
    public String roleName;
    @Column(name = "role_name_key")
    public String roleNameKey;
    public String path;
    public String arn;
    @Column(name = "trust_policy")
    public String trustPolicy;
    public String description;
    @Column(name = "max_session_duration")
    public int maxSessionDuration;
    @Column(name = "permissions_boundary")
    public String permissionsBoundary;
    public String tags;
    public long revision;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
